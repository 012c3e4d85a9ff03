package refdata

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"mppmap/data/pdate"
)

// The ledger is the part of a release that the database holds completely: the code lists, the
// MPP tables, the provincial PMK categories and datasets.csv. Write puts a Dataset back into
// those files in the layout of the reference release, so that Load followed by Write gives the
// same bytes, and an export of the database (the stewards' edits included) is the next release.
// Each file's columns are declared once, below: Load requires the ones marked required, Write
// writes all of them in order.
//
// What the reference release does, and so what Write does:
//   - quoting: a cell is quoted only when it holds a comma, a double quote or a line break
//     (encoding/csv's rule, which also quotes a cell that starts with a space; no cell can, see
//     checkCell);
//   - line endings: CRLF for codes/ and mpp/, LF for datasets.csv and fiscal/; a final line
//     ending after the last row; no byte-order mark;
//   - lists of source ids joined by ";" without spaces; dates in pdate notation ("2024-08",
//     "<=2022"); empty cells for missing values, never a zero.
//
// Names that a file repeats beside a code (a kab/kota's name in the status file, a province's
// name in the fiscal file) are not stored twice: they are written from Regions and Provinces,
// which is what the files hold (Load warns where they differ). The one cell of the reference
// release that does differ, DKI Jakarta's province in mpp_locations.csv, is kept as written
// (Site.ProvinceName).

// column is one column of a ledger file.
type column struct {
	name     string
	required bool // Load refuses a file whose header lacks it
}

func req(name string) column { return column{name: name, required: true} }
func opt(name string) column { return column{name: name} }

// layout is one ledger file of a release: where it lives, its columns in order, its line ending.
type layout struct {
	path string
	crlf bool
	cols []column
}

// required lists the columns Load needs in the file's header.
func (lt layout) required() []string {
	var out []string
	for _, c := range lt.cols {
		if c.required {
			out = append(out, c.name)
		}
	}
	return out
}

func (lt layout) header() []string {
	out := make([]string, len(lt.cols))
	for i, c := range lt.cols {
		out[i] = c.name
	}
	return out
}

const (
	crlf = true
	lf   = false
)

// The layouts of the ledger files.
var (
	provincesLayout = layout{FileProvinces, crlf, []column{req("code"), req("name"), req("kabupaten_count"), req("kota_count")}}
	kabkotaLayout   = layout{FileKabkota, crlf, []column{req("code"), req("name"), req("province_code"), opt("province_name"), req("kind")}}
	sourcesLayout   = layout{FileSources, crlf, []column{req("id"), req("address"), req("description"), req("date"), opt("date_note")}}
	statusLayout    = layout{FileStatus, crlf, []column{req("code"), opt("province_code"), opt("province"), opt("name"),
		req("mpp_status"), req("status_as_of"), req("first_known_date"), req("evidence"), req("source_ids"), opt("notes")}}
	// The per-province summary is derived from the status rows; only its note is its own.
	statusByProvinceLayout = layout{FileStatusByProvince, crlf, []column{req("province_code"), opt("province"), opt("kabkota_total"),
		req(string(StatusYes)), req(string(StatusNo)), req(string(StatusInProgress)), req(string(StatusUnknown)), opt("note")}}
	locationsLayout = layout{FileLocations, crlf, []column{opt("province"), req("province_code"), req("regency_code"), req("name"),
		req("inaugurated_on"), req("date_precision"), opt("event_id"), req("evidence"), req("source_ids"), opt("notes")}}
	nationalCountsLayout = layout{FileNationalCounts, crlf, []column{req("year"), req("as_of_date"), req("cumulative_mpp"), req("value_type"),
		req("is_year_end_best"), opt("denominator_note"), req("source_ids"), opt("note")}}
	targetsLayout = layout{FileTargets, crlf, []column{req("target_id"), req("set_by"), req("stated_on"), opt("target_year"), req("target"),
		opt("scope"), opt("outcome_note"), req("source_ids")}}
	inhibitorsLayout     = layout{FileInhibitors, crlf, []column{req("factor_category"), req("finding"), req("where"), opt("date"), req("source_ids")}}
	digitalLayout        = layout{FileDigital, crlf, []column{req("date"), req("metric"), req("value"), req("source_ids")}}
	digitalPilotsLayout  = layout{FileDigitalPilots, crlf, []column{req("name_as_published"), opt("event_date"), req("source_ids"), opt("note")}}
	digitalRegionsLayout = layout{FileDigitalRegions, crlf, []column{req("code"), opt("name"), req("model"), opt("as_of"), req("source_ids"), opt("notes")}}
	costsLayout          = layout{FileCosts, crlf, []column{req("region"), req("code"), req("amount"), opt("what"), opt("year"), req(costSourceColumn)}}
	fiscalCapacityLayout = layout{FileFiscalCapacity, lf, []column{req("level"), req("province_code"), opt("province"), req("region_code"),
		opt("region"), req("regulation"), opt("regulation_date"), req("category"), req("source_ids"), opt("note")}}
	datasetsLayout = layout{FileDatasets, lf, []column{req("path"), req("title"), req("publisher"), req("licence"), req("attribution"),
		req("source"), req("as_of")}}
)

// costSourceColumn holds source ids or an address (see loadCosts).
const costSourceColumn = "source_ids_or_address"

// provinceLevelSuffix marks a site's regency_code as a province-level MPP: "31 (province-level)".
const provinceLevelSuffix = " (province-level)"

// The two values of yes/no columns (national_counts.csv is_year_end_best).
const (
	flagYes = "yes"
	flagNo  = "no"
)

// ledgerFile is a layout with the rows it writes from a Dataset.
type ledgerFile struct {
	layout
	// derived files are written only when the folder had them: their rows come from other
	// files (the status summary from the status rows), so rows alone do not mean the file exists.
	derived bool
	rows    func(ds *Dataset, n names) ([][]string, error)
}

// ledger lists the ledger files in the order Write writes them.
func ledger() []ledgerFile {
	return []ledgerFile{
		{layout: provincesLayout, rows: provinceRows},
		{layout: kabkotaLayout, rows: kabkotaRows},
		{layout: sourcesLayout, rows: sourceRows},
		{layout: statusLayout, rows: statusRows},
		{layout: statusByProvinceLayout, rows: statusByProvinceRows, derived: true},
		{layout: locationsLayout, rows: siteRows},
		{layout: nationalCountsLayout, rows: nationalCountRows},
		{layout: targetsLayout, rows: targetRows},
		{layout: inhibitorsLayout, rows: inhibitorRows},
		{layout: digitalLayout, rows: digitalFactRows},
		{layout: digitalPilotsLayout, rows: digitalPilotRows},
		{layout: digitalRegionsLayout, rows: digitalRegionRows},
		{layout: costsLayout, rows: costRows},
		{layout: fiscalCapacityLayout, rows: fiscalCapacityRows},
		{layout: datasetsLayout, rows: datasetRows},
	}
}

// LedgerFiles are the paths Write may write. Every other file of a release is outside the ledger:
// the database does not hold it completely, and an export copies it.
func LedgerFiles() []string {
	var out []string
	for _, f := range ledger() {
		out = append(out, f.path)
	}
	return out
}

// IsLedgerFile reports whether rel is one of LedgerFiles.
func IsLedgerFile(rel string) bool {
	for _, f := range ledger() {
		if f.path == rel {
			return true
		}
	}
	return false
}

// Written is one file Write wrote.
type Written struct {
	Path string
	Rows int
}

// Write writes the ledger files of ds into the existing folder dir. A file is written when the
// folder ds was read from had it (ds.Files), when it is required, or when ds has rows for it (a
// steward's first target in a release that had no targets.csv); derived files only in the first
// two cases. Errors name the file.
func Write(dir string, ds *Dataset) ([]Written, error) {
	n := newNames(ds)
	var out []Written
	for _, f := range ledger() {
		rows, err := f.rows(ds, n)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", f.path, err)
		}
		_, had := ds.File(f.path)
		if !had && !isRequired(f.path) && (f.derived || len(rows) == 0) {
			continue
		}
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(f.path)), f.layout, rows); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.path, err)
		}
		out = append(out, Written{Path: f.path, Rows: len(rows)})
	}
	return out, nil
}

func isRequired(rel string) bool {
	for _, r := range RequiredFiles {
		if r == rel {
			return true
		}
	}
	return false
}

func writeFile(name string, lt layout, rows [][]string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if err := writeCSV(f, lt, rows); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeCSV writes the header of lt and rows in the release's quoting and line ending. A cell
// Load would read back differently is an error naming its row (1 = the header) and column:
// Load trims cells, so white space at either end would be lost, and encoding/csv drops a
// carriage return inside a CRLF file's cell. Failing here keeps export → import → export
// identical instead of publishing a value the next import silently changes.
func writeCSV(w io.Writer, lt layout, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = lt.crlf
	if err := cw.Write(lt.header()); err != nil {
		return err
	}
	for i, r := range rows {
		if len(r) != len(lt.cols) {
			return fmt.Errorf("row %d has %d cells for %d columns", i+2, len(r), len(lt.cols))
		}
		for j, c := range r {
			if err := checkCell(c); err != nil {
				return fmt.Errorf("row %d, column %s: %w", i+2, lt.cols[j].name, err)
			}
		}
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ErrCell is wrapped by writeCSV's error for a value that would not survive a re-import.
var ErrCell = errors.New("value would not survive a re-import")

func checkCell(c string) error {
	switch {
	case !utf8.ValidString(c):
		return fmt.Errorf("%w: not valid UTF-8", ErrCell)
	case strings.TrimSpace(c) != c:
		return fmt.Errorf("%w: %q has white space at an end, which Load trims", ErrCell, c)
	case strings.ContainsRune(c, '\r'):
		return fmt.Errorf("%w: %q holds a carriage return", ErrCell, c)
	}
	return nil
}

// names looks up the names that files repeat beside codes.
type names struct {
	province map[string]string // code → name
	region   map[string]Region
}

func newNames(ds *Dataset) names {
	n := names{province: map[string]string{}, region: map[string]Region{}}
	for _, p := range ds.Provinces {
		n.province[p.Code] = p.Name
	}
	for _, r := range ds.Regions {
		n.region[r.Code] = r
	}
	return n
}

func (n names) provinceName(code string) (string, error) {
	name, ok := n.province[code]
	if !ok {
		return "", fmt.Errorf("unknown province %q (not in %s)", code, FileProvinces)
	}
	return name, nil
}

func (n names) regionName(code string) (string, error) {
	r, ok := n.region[code]
	if !ok {
		return "", fmt.Errorf("unknown kab/kota %q (not in %s)", code, FileKabkota)
	}
	return r.Name, nil
}

func ids(s []string) string { return strings.Join(s, ";") }

func provinceRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Provinces))
	for _, p := range ds.Provinces {
		out = append(out, []string{p.Code, p.Name, strconv.Itoa(p.KabupatenCount), strconv.Itoa(p.KotaCount)})
	}
	return out, nil
}

func kabkotaRows(ds *Dataset, n names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Regions))
	for _, r := range ds.Regions {
		prov := r.ProvinceName
		if prov == "" {
			var err error
			if prov, err = n.provinceName(r.ProvinceCode); err != nil {
				return nil, fmt.Errorf("%s: %w", r.Code, err)
			}
		}
		out = append(out, []string{r.Code, r.Name, r.ProvinceCode, prov, r.Kind})
	}
	return out, nil
}

func sourceRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Sources))
	for _, s := range ds.Sources {
		out = append(out, []string{s.ID, s.Address, s.Description, s.Date.String(), s.DateNote})
	}
	return out, nil
}

func statusRows(ds *Dataset, n names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Statuses))
	for _, s := range ds.Statuses {
		r, ok := n.region[s.RegionCode]
		if !ok {
			return nil, fmt.Errorf("status of unknown kab/kota %q", s.RegionCode)
		}
		prov, err := n.provinceName(r.ProvinceCode)
		if err != nil {
			return nil, err
		}
		out = append(out, []string{s.RegionCode, r.ProvinceCode, prov, r.Name, string(s.Status), s.AsOf.String(),
			s.FirstKnown.String(), s.Evidence, ids(s.SourceIDs), s.Note})
	}
	return out, nil
}

// statusByProvinceRows counts the status rows per province, in Provinces order.
func statusByProvinceRows(ds *Dataset, n names) ([][]string, error) {
	total := map[string]int{}
	counts := map[string]map[Status]int{}
	for _, r := range ds.Regions {
		total[r.ProvinceCode]++
	}
	for _, s := range ds.Statuses {
		r, ok := n.region[s.RegionCode]
		if !ok {
			return nil, fmt.Errorf("status of unknown kab/kota %q", s.RegionCode)
		}
		if counts[r.ProvinceCode] == nil {
			counts[r.ProvinceCode] = map[Status]int{}
		}
		counts[r.ProvinceCode][s.Status]++
	}
	out := make([][]string, 0, len(ds.Provinces))
	for _, p := range ds.Provinces {
		c := counts[p.Code]
		out = append(out, []string{p.Code, p.Name, strconv.Itoa(total[p.Code]),
			strconv.Itoa(c[StatusYes]), strconv.Itoa(c[StatusNo]), strconv.Itoa(c[StatusInProgress]), strconv.Itoa(c[StatusUnknown]),
			ds.StatusByProvinceNotes[p.Code]})
	}
	return out, nil
}

func siteRows(ds *Dataset, n names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Sites))
	for _, s := range ds.Sites {
		prov := s.ProvinceName
		if prov == "" {
			var err error
			if prov, err = n.provinceName(s.ProvinceCode); err != nil {
				return nil, fmt.Errorf("site %q: %w", s.Name, err)
			}
		}
		code := s.RegionCode
		if code == "" {
			code = s.ProvinceCode + provinceLevelSuffix
		}
		precision := ""
		if !s.Inaugurated.IsZero() {
			precision = string(s.Inaugurated.Precision)
		}
		out = append(out, []string{prov, s.ProvinceCode, code, s.Name, s.Inaugurated.String(), precision, s.EventID,
			s.Evidence, ids(s.SourceIDs), s.Note})
	}
	return out, nil
}

func nationalCountRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.NationalCounts))
	for _, c := range ds.NationalCounts {
		cum := ""
		if c.Cumulative != nil {
			cum = strconv.Itoa(*c.Cumulative)
		}
		best := flagNo
		if c.IsYearEndBest {
			best = flagYes
		}
		out = append(out, []string{strconv.Itoa(c.Year), c.AsOf.String(), cum, c.ValueType, best, c.DenominatorNote, ids(c.SourceIDs), c.Note})
	}
	return out, nil
}

func targetRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Targets))
	for _, t := range ds.Targets {
		out = append(out, []string{t.ID, t.SetBy, t.StatedOn.String(), t.TargetYear, t.Target, t.Scope, t.OutcomeNote, ids(t.SourceIDs)})
	}
	return out, nil
}

func inhibitorRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Inhibitors))
	for _, x := range ds.Inhibitors {
		out = append(out, []string{x.Category, x.Finding, x.Where, x.DateText, ids(x.SourceIDs)})
	}
	return out, nil
}

func digitalFactRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.DigitalFacts))
	for _, x := range ds.DigitalFacts {
		out = append(out, []string{x.DateText, x.Metric, x.Value, ids(x.SourceIDs)})
	}
	return out, nil
}

func digitalPilotRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.DigitalPilots))
	for _, x := range ds.DigitalPilots {
		out = append(out, []string{x.NameAsPublished, x.EventDate, ids(x.SourceIDs), x.Note})
	}
	return out, nil
}

func digitalRegionRows(ds *Dataset, n names) ([][]string, error) {
	out := make([][]string, 0, len(ds.DigitalRegions))
	for _, x := range ds.DigitalRegions {
		name, err := n.regionName(x.RegionCode)
		if err != nil {
			return nil, err
		}
		out = append(out, []string{x.RegionCode, name, x.Model, x.AsOf, ids(x.SourceIDs), x.Note})
	}
	return out, nil
}

// costRows writes the citation from what was read from it (ids, else the address), so an edit
// of source_ids is what the release says; the cell as written only when neither is set.
func costRows(ds *Dataset, _ names) ([][]string, error) {
	out := make([][]string, 0, len(ds.Costs))
	for _, x := range ds.Costs {
		src := x.Source
		switch {
		case len(x.SourceIDs) > 0:
			src = ids(x.SourceIDs)
		case x.Address != "":
			src = x.Address
		}
		out = append(out, []string{x.RegionName, x.RegionCode, x.Amount, x.What, x.YearText, src})
	}
	return out, nil
}

func fiscalCapacityRows(ds *Dataset, n names) ([][]string, error) {
	out := make([][]string, 0, len(ds.FiscalCapacity))
	for _, x := range ds.FiscalCapacity {
		prov, err := n.provinceName(x.ProvinceCode)
		if err != nil {
			return nil, err
		}
		region := ""
		if x.RegionCode != "" {
			if region, err = n.regionName(x.RegionCode); err != nil {
				return nil, err
			}
		}
		out = append(out, []string{x.Level, x.ProvinceCode, prov, x.RegionCode, region, x.Regulation, x.RegulationDate.String(),
			x.Category, ids(x.SourceIDs), x.Note})
	}
	return out, nil
}

// datasetRows writes the provenance rows in the order datasets.csv listed them.
func datasetRows(ds *Dataset, _ names) ([][]string, error) {
	var listed []FileInfo
	for _, f := range ds.Files {
		if f.DatasetsLine > 0 {
			listed = append(listed, f)
		}
	}
	sort.SliceStable(listed, func(i, j int) bool { return listed[i].DatasetsLine < listed[j].DatasetsLine })
	out := make([][]string, 0, len(listed))
	for _, f := range listed {
		out = append(out, []string{f.Path, f.Title, f.Publisher, f.Licence, f.Attribution, f.Upstream, f.AsOf})
	}
	return out, nil
}

// datePrecisions are the date_precision values of mpp_locations.csv: pdate's precisions.
func datePrecisions() []string {
	return []string{string(pdate.Day), string(pdate.Month), string(pdate.Year), string(pdate.Before)}
}
