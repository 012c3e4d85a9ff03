package refdata

import (
	"fmt"
	"strings"
)

// Problem is one defect found in the reference data, located as precisely as the file allows.
type Problem struct {
	// File is the path relative to the data folder, with forward slashes
	// (e.g. "mpp/mpp_status_by_region.csv").
	File string
	// Line is the CSV line as a person counts it (the header is line 1; a quoted value that
	// spans lines is reported at the line where its row starts). For GeoJSON it is the
	// 1-based index of the feature in "features" (the message says so). 0 means the file as
	// a whole (e.g. a required file is missing, or rows are missing).
	Line int
	// Field is the column (CSV) or property/member (GeoJSON) concerned; empty when the
	// problem concerns a whole row or file.
	Field string
	// Message says what is wrong, quoting the offending value.
	Message string
}

// String formats p as "file:line: field: message", leaving out a zero line or empty field.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found in one folder, in the order they were found (file by file,
// line by line). It is the error Load returns.
type Problems []Problem

// Error prints one problem per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// In returns the problems concerning file, in order.
func (ps Problems) In(file string) Problems {
	var out Problems
	for _, p := range ps {
		if p.File == file {
			out = append(out, p)
		}
	}
	return out
}
