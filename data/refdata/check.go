package refdata

import (
	"sort"
	"strings"
)

// Ledger is what a steward's change is checked against: the provinces, kab/kota and source ids
// the ledger holds when the change is made. The checks below are the importer's own (statusRow,
// siteRow, sourceRow): a status saved through a form, the write API or a bulk CSV update obeys
// exactly the rules a reference folder does — one implementation, not two.
type Ledger struct {
	Provinces []Province
	Regions   []Region
	SourceIDs []string
}

// loader is a loader whose code lists and source list are the ledger's, as after loadCodes and
// loadSources of a folder that holds them.
func (lg Ledger) loader() *loader {
	l := &loader{ds: &Dataset{Provinces: lg.Provinces, Regions: lg.Regions}, files: map[string]*FileInfo{},
		provinces: map[string]*Province{}, regions: map[string]*Region{}, sources: map[string]bool{},
		provincesOK: true, regionsOK: true, sourcesOK: true}
	for i := range l.ds.Provinces {
		l.provinces[l.ds.Provinces[i].Code] = &l.ds.Provinces[i]
	}
	for i := range l.ds.Regions {
		l.regions[l.ds.Regions[i].Code] = &l.ds.Regions[i]
	}
	for _, id := range lg.SourceIDs {
		l.sources[id] = true
	}
	l.provIndex = newProvinceIndex(l.ds.Provinces)
	l.names = newNameIndex(l.ds.Regions)
	return l
}

// StatusColumns are the columns of mpp/mpp_status_by_region.csv a status row needs; a bulk
// update's CSV must have them (the others, name and province, are checked when present). They
// are the required columns of the file's layout (write.go), which Write also writes.
var StatusColumns = statusLayout.required()

// CheckStatusCSV checks a CSV with the columns of mpp/mpp_status_by_region.csv and any subset of
// its rows (a steward's bulk update), named file in the problems. It returns the rows, the
// problems (nil when there are none: then every row is valid) and the warnings.
func CheckStatusCSV(file string, b []byte, lg Ledger) ([]RegionStatus, Problems, Problems) {
	l := lg.loader()
	l.invalidUTF8(file, b)
	if len(l.probs) > 0 {
		return nil, l.probs, nil
	}
	t := l.parseCSV(file, b, StatusColumns...)
	if t == nil {
		return nil, l.probs, nil
	}
	if len(t.rows) == 0 {
		l.problem(file, 0, "", "no rows: the file has a header but no status to update")
	}
	var out []RegionStatus
	keys := seen{}
	for _, r := range t.rows {
		if st, ok := l.statusRow(r, keys); ok {
			out = append(out, st)
		}
	}
	return out, l.probs, l.ds.Warnings
}

// CheckStatus checks one status given as the text of each column of
// mpp/mpp_status_by_region.csv (code, mpp_status, status_as_of, first_known_date, evidence,
// source_ids separated by ";", notes). Problems name those columns; File and Line are empty.
func CheckStatus(fields map[string]string, lg Ledger) (RegionStatus, Problems) {
	l := lg.loader()
	st, ok := l.statusRow(oneRow(fields), seen{})
	if !ok && len(l.probs) == 0 {
		l.problem("", 0, "code", "no usable region code")
	}
	return st, l.probs
}

// CheckSite checks one MPP site given as the text of each column of mpp/mpp_locations.csv
// (province_code, regency_code, name, inaugurated_on, date_precision, event_id, evidence,
// source_ids, notes).
func CheckSite(fields map[string]string, lg Ledger) (Site, Problems) {
	l := lg.loader()
	s := l.siteRow(oneRow(fields), seen{})
	return s, l.probs
}

// CheckSource checks one new source given as the columns of mpp/sources.csv (id, address,
// description, date, date_note). The id must be one the ledger does not have yet.
func CheckSource(fields map[string]string, lg Ledger) (Source, Problems) {
	l := lg.loader()
	s, _ := l.sourceRow(oneRow(fields), seen{})
	if l.sources[s.ID] {
		l.problem("", 0, "id", "source %s exists already", s.ID)
	}
	return s, l.probs
}

// oneRow is fields as the only row of a table without a file.
func oneRow(fields map[string]string) row {
	t := &table{idx: map[string]int{}}
	cols := make([]string, 0, len(fields))
	for c := range fields {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	rec := make([]string, len(cols))
	for i, c := range cols {
		t.idx[c] = i
		rec[i] = strings.TrimSpace(fields[c])
	}
	t.cols = cols
	return row{t: t, line: 0, rec: rec}
}
