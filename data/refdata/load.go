package refdata

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"mppmap/data/pdate"
)

// Paths of the files Load knows, relative to the folder.
const (
	FileProvinces        = "codes/provinces.csv"
	FileKabkota          = "codes/kabkota.csv"
	FileKabkotaGeoJSON   = "boundaries/kabkota.geojson"
	FileProvincesGeoJSON = "boundaries/provinces.geojson"
	FileSources          = "mpp/sources.csv"
	FileStatus           = "mpp/mpp_status_by_region.csv"
	FileStatusByProvince = "mpp/mpp_status_by_province.csv"
	FileLocations        = "mpp/mpp_locations.csv"
	FileNationalCounts   = "mpp/national_counts.csv"
	FileTargets          = "mpp/targets.csv"
	FileInhibitors       = "mpp/inhibitors.csv"
	FileDigital          = "mpp/mpp_digital.csv"
	FileDigitalPilots    = "mpp/mpp_digital_pilots_2023.csv"
	FileDigitalRegions   = "mpp/mpp_digital_regions.csv"
	FileCosts            = "mpp/mpp_costs.csv"
	FileDatasets         = "datasets.csv"
	FileAPBD             = "fiscal/apbd_kabkota.csv"
	FileAPBD2024         = "fiscal/apbd_kabkota_2024.csv"
	FileFiscalCapacity   = "fiscal/kapasitas_fiskal_provinsi_partial.csv"
	FileRegionFiscal     = "fiscal/kapasitas_fiskal_kabkota_partial.csv"
	DirDemography        = "demography"
)

// RequiredFiles are the files without which a folder cannot be imported.
var RequiredFiles = []string{FileProvinces, FileKabkota, FileKabkotaGeoJSON, FileSources, FileStatus}

// Load reads the reference-data folder dir, validates all of it and returns its content.
//
// When anything is wrong the error is a Problems value listing every problem found; the
// Dataset is still returned (with Files, Absent and Warnings filled, tables possibly partial)
// so a caller can report, but it must not be written anywhere. Files Load does not know are
// ignored silently, so a newer release with more tables still loads.
func Load(dir string) (*Dataset, error) {
	l := &loader{dir: dir, ds: &Dataset{Dir: dir}, files: map[string]*FileInfo{}}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		msg := "not a directory"
		if err != nil {
			msg = err.Error()
		}
		l.problem(".", 0, "", "data folder %s: %s", dir, msg)
		return l.ds, l.probs
	}
	l.loadCodes()
	l.loadSources()
	l.loadBoundaries()
	l.loadStatus()
	l.loadStatusByProvince()
	l.loadLocations()
	l.loadNationalCounts()
	l.loadTargets()
	l.loadInhibitors()
	l.loadDigital()
	l.loadCosts()
	l.loadFiscalCapacity()
	l.loadRegionFiscal()
	l.loadIndicators()
	l.loadDatasets()
	l.finish()
	if len(l.probs) > 0 {
		return l.ds, l.probs
	}
	return l.ds, nil
}

// loader carries the state of one Load: lookups built from the code lists, and the problems
// and warnings found so far.
type loader struct {
	dir   string
	ds    *Dataset
	probs Problems
	files map[string]*FileInfo

	// Lookups; the *OK flags say the list was read, so membership checks make sense (a
	// missing kabkota.csv must not turn into 514 "unknown code" problems elsewhere).
	provinces   map[string]*Province
	provincesOK bool
	regions     map[string]*Region
	regionsOK   bool
	sources     map[string]bool
	sourcesOK   bool
	names       nameIndex
	provIndex   provinceIndex
}

func (l *loader) problem(file string, line int, field, format string, args ...any) {
	l.probs = append(l.probs, Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (l *loader) warn(file string, line int, field, format string, args ...any) {
	l.ds.Warnings = append(l.ds.Warnings, Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// read returns the bytes of rel and records its provenance. A missing optional file is
// recorded in Absent; a missing required one is a problem. ok is false when there is nothing
// to parse.
func (l *loader) read(rel string, required bool) (b []byte, ok bool) {
	b, err := os.ReadFile(filepath.Join(l.dir, filepath.FromSlash(rel)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if required {
				l.problem(rel, 0, "", "required file is missing")
			} else {
				l.ds.Absent = append(l.ds.Absent, rel)
			}
			return nil, false
		}
		l.problem(rel, 0, "", "cannot read: %v", err)
		return nil, false
	}
	sum := sha256.Sum256(b)
	fi := &FileInfo{Path: rel, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)), Required: required}
	l.files[rel] = fi
	// Go's CSV and JSON readers would pass invalid bytes on (JSON as U+FFFD): a name with bytes
	// FF FE in it would reach the database and every page. The reference data is UTF-8.
	if !utf8.Valid(b) {
		l.invalidUTF8(rel, b)
		return nil, false
	}
	return b, true
}

// maxUTF8Problems bounds the lines reported for one file that is not UTF-8 at all.
const maxUTF8Problems = 10

// invalidUTF8 reports each line of rel with bytes that are not UTF-8, with the byte's column.
//
// A CSV problem's Line is the text line. A GeoJSON problem's Line is a feature index
// (Problem.Line), and a file that is not UTF-8 is never decoded into features, so there the
// text line goes into the message and Line is 0: "kabkota.geojson:4" would send a steward to
// feature 4.
func (l *loader) invalidUTF8(rel string, b []byte) {
	at := func(line int) (int, string) {
		if path.Ext(rel) == ".csv" {
			return line, ""
		}
		return 0, fmt.Sprintf("line %d: ", line)
	}
	line, n := 1, 0
	for len(b) > 0 {
		end := bytes.IndexByte(b, '\n')
		if end < 0 {
			end = len(b)
		}
		ln := b[:end]
		if !utf8.Valid(ln) {
			col := 1
			for i := 0; i < len(ln); {
				r, size := utf8.DecodeRune(ln[i:])
				if r == utf8.RuneError && size <= 1 {
					break
				}
				i += size
				col++
			}
			pl, where := at(line)
			if n++; n > maxUTF8Problems {
				l.problem(rel, pl, "", "%smore lines are not valid UTF-8", where)
				return
			}
			l.problem(rel, pl, "", "%snot valid UTF-8 (first bad byte at character %d): the reference data must be UTF-8", where, col)
		}
		if end == len(b) {
			break
		}
		b = b[end+1:]
		line++
	}
}

// finish sorts what needs sorting and copies file provenance into the Dataset.
func (l *loader) finish() {
	for _, fi := range l.files {
		l.ds.Files = append(l.ds.Files, *fi)
	}
	sort.Slice(l.ds.Files, func(i, j int) bool { return l.ds.Files[i].Path < l.ds.Files[j].Path })
	sort.Strings(l.ds.Absent)
}

// table is a parsed CSV file: its header and its well-formed rows.
type table struct {
	path string
	// broken is set when rows were left out as malformed: the table is then incomplete, and
	// lookups against it (is this source id known?) cannot be trusted.
	broken bool
	cols   []string
	idx    map[string]int
	rows   []row
}

type row struct {
	t    *table
	line int
	rec  []string
}

// get returns the trimmed cell of column col, or "" when the file has no such column.
func (r row) get(col string) string {
	i, ok := r.t.idx[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (t *table) has(col string) bool { _, ok := t.idx[col]; return ok }

// csv reads rel as CSV with a header row that must contain the columns in need. It returns
// nil when the file is absent or cannot be interpreted (no header, missing columns); rows with
// the wrong number of fields or malformed quoting are reported and left out.
func (l *loader) csv(rel string, required bool, need ...string) *table {
	b, ok := l.read(rel, required)
	if !ok {
		return nil
	}
	return l.parseCSV(rel, b, need...)
}

func (l *loader) parseCSV(rel string, b []byte, need ...string) *table {
	b = bytes.TrimPrefix(b, []byte("\ufeff")) // Excel writes a BOM
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1 // counted here, to word the problem ourselves
	t := &table{path: rel, idx: map[string]int{}}
	header, err := cr.Read()
	if err == io.EOF {
		l.problem(rel, 1, "", "empty file: want a header row with %s", strings.Join(need, ","))
		return nil
	}
	if err != nil {
		l.problem(rel, 1, "", "malformed header: %v", csvErr(err))
		return nil
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if _, dup := t.idx[h]; dup {
			l.problem(rel, 1, h, "column appears twice in the header")
			continue
		}
		t.idx[h] = i
		t.cols = append(t.cols, h)
	}
	missing := false
	for _, c := range need {
		if !t.has(c) {
			l.problem(rel, 1, c, "missing required column %q (header has: %s)", c, strings.Join(t.cols, ","))
			missing = true
		}
	}
	if missing {
		return nil
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				l.problem(rel, pe.StartLine, "", "malformed CSV row: %v", csvErr(err))
				t.broken = true
			} else {
				l.problem(rel, 0, "", "cannot read: %v", err)
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			l.problem(rel, line, "", "row has %d fields, header has %d (truncated or misquoted row?)", len(rec), len(header))
			t.broken = true
			continue
		}
		t.rows = append(t.rows, row{t: t, line: line, rec: rec})
	}
	return t
}

// csvErr words an encoding/csv error without repeating the line number we report anyway.
func csvErr(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		switch {
		case errors.Is(pe.Err, csv.ErrQuote) && pe.Line > pe.StartLine:
			msg += fmt.Sprintf(" (quoted field opened on this line still open at line %d: file truncated?)", pe.Line)
		case errors.Is(pe.Err, csv.ErrQuote):
			msg += " (file truncated inside a quoted field?)"
		}
		if pe.Line != pe.StartLine {
			return msg
		}
		return fmt.Sprintf("%s (column %d)", msg, pe.Column)
	}
	return err.Error()
}

// Field checks. Each reports its own problem and returns ok=false on failure; callers
// carry on with the row so that one folder yields every problem.

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validRegionCode reports whether s has the form PP.KK.
func validRegionCode(s string) bool {
	return len(s) == 5 && s[2] == '.' && isDigits(s[:2]) && isDigits(s[3:])
}

func validProvinceCode(s string) bool { return len(s) == 2 && isDigits(s) }

// regionCode checks a kab/kota code column: form, then membership in codes/kabkota.csv.
func (l *loader) regionCode(r row, col string, allowEmpty bool) (string, bool) {
	v := r.get(col)
	if v == "" {
		if !allowEmpty {
			l.problem(r.t.path, r.line, col, "empty: want a kab/kota code like 32.73")
		}
		return "", allowEmpty
	}
	return v, l.checkRegion(r, col, v)
}

func (l *loader) checkRegion(r row, col, v string) bool {
	if !validRegionCode(v) {
		l.problem(r.t.path, r.line, col, "%q is not a kab/kota code (want PP.KK, e.g. 32.73)", v)
		return false
	}
	if l.regionsOK && l.regions[v] == nil {
		l.problem(r.t.path, r.line, col, "unknown kab/kota code %q (not in %s)", v, FileKabkota)
		return false
	}
	return true
}

// provinceCode checks a province code column.
func (l *loader) provinceCode(r row, col string, allowEmpty bool) (string, bool) {
	v := r.get(col)
	if v == "" {
		if !allowEmpty {
			l.problem(r.t.path, r.line, col, "empty: want a province code like 32")
		}
		return "", allowEmpty
	}
	if !validProvinceCode(v) {
		l.problem(r.t.path, r.line, col, "%q is not a province code (want two digits, e.g. 32)", v)
		return v, false
	}
	if l.provincesOK && l.provinces[v] == nil {
		l.problem(r.t.path, r.line, col, "unknown province code %q (not in %s)", v, FileProvinces)
		return v, false
	}
	return v, true
}

// nonEmpty requires a text cell.
func (l *loader) nonEmpty(r row, col string) string {
	v := r.get(col)
	if v == "" {
		l.problem(r.t.path, r.line, col, "empty: a value is required")
	}
	return v
}

// enum requires the cell to be one of allowed (empty only if allowEmpty).
func (l *loader) enum(r row, col string, allowEmpty bool, allowed ...string) (string, bool) {
	v := r.get(col)
	if v == "" && allowEmpty {
		return "", true
	}
	for _, a := range allowed {
		if v == a {
			return v, true
		}
	}
	l.problem(r.t.path, r.line, col, "%q is not one of %s", v, strings.Join(allowed, ", "))
	return v, false
}

type dateRule struct {
	allowEmpty bool // empty cell means "no date"
	noBefore   bool // the column cannot hold "<=date" (the schema stores day/month/year only)
}

// date parses a partial date with pdate.
func (l *loader) date(r row, col string, rule dateRule) (pdate.Date, bool) {
	v := r.get(col)
	d, err := pdate.Parse(v)
	switch {
	case errors.Is(err, pdate.ErrEmpty):
		if !rule.allowEmpty {
			l.problem(r.t.path, r.line, col, "empty: a date is required (YYYY-MM-DD, YYYY-MM or YYYY)")
			return d, false
		}
		return d, true
	case err != nil:
		l.problem(r.t.path, r.line, col, "%v", err)
		return d, false
	case rule.noBefore && d.Precision == pdate.Before:
		l.problem(r.t.path, r.line, col, "%q: an upper bound (<=) is not allowed here; want YYYY-MM-DD, YYYY-MM or YYYY", v)
		return pdate.Date{}, false
	}
	return d, true
}

// sourceIDs splits a semicolon-separated list of source ids and checks each exists.
func (l *loader) sourceIDs(r row, col string) []string {
	return l.checkSourceList(r, col, r.get(col))
}

func (l *loader) checkSourceList(r row, col, v string) []string {
	if v == "" {
		return nil
	}
	var ids []string
	for _, id := range strings.Split(v, ";") {
		id = strings.TrimSpace(id)
		if id == "" {
			l.problem(r.t.path, r.line, col, "%q: empty source id in the list (want e.g. S09;S62)", v)
			continue
		}
		if !validSourceID(id) {
			l.problem(r.t.path, r.line, col, "%q is not a source id (want S followed by digits)", id)
			continue
		}
		if l.sourcesOK && !l.sources[id] {
			l.problem(r.t.path, r.line, col, "source id %q does not exist in %s", id, FileSources)
		}
		ids = append(ids, id)
	}
	return ids
}

func validSourceID(s string) bool { return len(s) > 1 && s[0] == 'S' && isDigits(s[1:]) }

// count parses a non-negative integer; present is false for an empty cell (missing, not 0).
func (l *loader) count(r row, col string) (n int, present, ok bool) {
	v := r.get(col)
	if v == "" {
		return 0, false, true
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		l.problem(r.t.path, r.line, col, "%q is not a count (want a non-negative whole number)", v)
		return 0, true, false
	}
	return i, true, true
}

// number parses a finite float; present is false for an empty cell (missing, not 0).
func (l *loader) number(r row, col string) (f float64, present, ok bool) {
	v := r.get(col)
	if v == "" {
		return 0, false, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		l.problem(r.t.path, r.line, col, "%q is not a number", v)
		return 0, true, false
	}
	return f, true, true
}

// unique reports (as a problem) a key seen before in the same file.
type seen map[string]int

func (l *loader) unique(s seen, r row, col, key string) bool {
	if key == "" {
		return true
	}
	if first, dup := s[key]; dup {
		l.problem(r.t.path, r.line, col, "duplicate key %q (first on line %d)", key, first)
		return false
	}
	s[key] = r.line
	return true
}

// exists reports whether rel names a regular file in the folder.
func (l *loader) exists(rel string) bool {
	st, err := os.Stat(filepath.Join(l.dir, filepath.FromSlash(rel)))
	return err == nil && st.Mode().IsRegular()
}
