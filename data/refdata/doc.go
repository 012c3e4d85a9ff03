// Package refdata reads and validates a reference-data folder (the layout of ../shared/data, or
// a newer release of it) into typed Go values, without touching a database, and writes the
// ledger part of such a folder back from those values (Write, write.go), so that a database
// export can be published as the next release.
//
// It owns the meaning of every file in that folder: which files are required, which columns
// each table must have, which values are legal (codes, enums, partial dates, numbers, source
// ids), how the free-text places of inhibitors.csv map to kab/kota codes, and which indicators
// the fiscal and demographic tables yield. It also records each file's sha256 and the
// provenance rows of datasets.csv, so the importer can skip unchanged files and credit sources.
//
// Load collects every problem in the folder before it returns, instead of stopping at the
// first one. The importer writes the whole folder in one transaction and must write nothing
// when anything is wrong; a data steward fixing a release then sees the complete list in one
// run (file, line, column, message) rather than one error per attempt. Problems are fatal;
// Warnings (name spellings that differ between files, unresolved place names, …) are not.
//
// Self-intersection and other geometric validity are not checked here: PostGIS does that
// better (ST_IsValid / ST_MakeValid) during the import. This package checks what can be
// checked cheaply and exactly: structure, closed rings, finite coordinates inside Indonesia.
package refdata
