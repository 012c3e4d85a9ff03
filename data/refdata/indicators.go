package refdata

import (
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// How an indicator column's numbers are checked.
type numKind int

const (
	kindAmount numKind = iota // any finite number (rupiah can be negative: refunds)
	kindCount                 // non-negative whole number (persons)
	kindNonNeg                // non-negative number (area, index, ratio)
	kindPct                   // percentage of a whole, 0..100
)

// colSpec is the catalogue entry of one indicator column.
type colSpec struct {
	id, labelID, labelEN, unit, desc string
	kind                             numKind
}

// textColumns are columns of indicator tables that are not values.
var textColumns = map[string]bool{
	"code": true, "name": true, "year": true, "source_name": true, "match": true, "bps_name": true,
	"province_code": true, "province_name": true, "province": true, "note": true, "notes": true, "source_ids": true,
}

// apbdCatalogue labels the APBD columns. Amount lines come in _budget and _actual variants.
var apbdCatalogue = func() map[string]colSpec {
	m := map[string]colSpec{}
	lines := []struct{ col, id, en, desc string }{
		{"revenue_total", "Pendapatan daerah", "Total revenue", "PAD + central transfers + inter-regional transfers + other revenue."},
		{"pad", "Pendapatan asli daerah (PAD)", "Own-source revenue (PAD)", "Accounts 411-414: local taxes, levies, separated assets, other PAD."},
		{"transfer_central", "Pendapatan transfer pemerintah pusat", "Central government transfers", "Account 421 (TKD: DAU, DBH, DAK, Dana Desa, Otsus, incentives; not broken down)."},
		{"transfer_interregional", "Pendapatan transfer antardaerah", "Inter-regional transfers", "Account 434 (422 in 2021 only, to avoid double counting)."},
		{"other_revenue", "Lain-lain pendapatan daerah yang sah", "Other revenue", "Accounts 431-433: grants, emergency funds, other revenue."},
		{"spending_total", "Belanja daerah", "Total spending", "All 5xx spending lines."},
		{"spending_personnel", "Belanja pegawai", "Personnel spending", "Account 511."},
		{"spending_capital", "Belanja modal", "Capital spending", "Account 520."},
	}
	for _, ln := range lines {
		m[ln.col+"_budget"] = colSpec{id: ln.col + "_budget", labelID: ln.id + " (anggaran)", labelEN: ln.en + " (budget)",
			unit: "Rp", desc: "APBD budget (anggaran). " + ln.desc, kind: kindAmount}
		m[ln.col+"_actual"] = colSpec{id: ln.col + "_actual", labelID: ln.id + " (realisasi)", labelEN: ln.en + " (actual)",
			unit: "Rp", desc: "APBD actual (realisasi); incomplete for 2024 and in-year for 2025: use budget for those years. " + ln.desc, kind: kindAmount}
	}
	const proxy = " An APBD-derived proxy, not the Finance Ministry's (PMK) fiscal-capacity category."
	m["pad_share_budget_pct"] = colSpec{"pad_share_budget_pct", "Rasio PAD terhadap pendapatan (anggaran)", "Own-source revenue share of revenue (budget)",
		"%", "100 × PAD / total revenue, budget (kemandirian fiskal)." + proxy, kindNonNeg}
	m["transfer_central_share_budget_pct"] = colSpec{"transfer_central_share_budget_pct", "Rasio transfer pusat terhadap pendapatan (anggaran)", "Central-transfer share of revenue (budget)",
		"%", "100 × central transfers / total revenue, budget (dependence on transfers)." + proxy, kindNonNeg}
	m["personnel_share_budget_pct"] = colSpec{"personnel_share_budget_pct", "Rasio belanja pegawai terhadap belanja (anggaran)", "Personnel share of spending (budget)",
		"%", "100 × personnel spending / total spending, budget. Not comparable with the 30 % ceiling of UU 1/2022, which excludes teachers' allowances.", kindNonNeg}
	m["revenue_actual_to_budget_pct"] = colSpec{"revenue_actual_to_budget_pct", "Realisasi pendapatan terhadap anggaran", "Actual revenue as share of budget",
		"%", "100 × actual / budget revenue: a completeness flag for the actual columns.", kindNonNeg}
	return m
}()

// demographyCatalogue labels the demography tables by file stem without its year
// (population_dukcapil_2024.csv → population_dukcapil) and column. The year in the file name is
// the period, so a newer file (population_dukcapil_2025.csv) adds a period to the same indicator.
var demographyCatalogue = map[string]map[string]colSpec{
	"population_dukcapil": {
		"population": {"population_dukcapil", "Jumlah penduduk (Dukcapil)", "Population (Dukcapil civil registry)", "persons",
			"Registered residents (KTP/KK records), semester II (December). Not the BPS projection: pick one series per chart.", kindCount},
		"male": {"population_dukcapil_male", "Penduduk laki-laki (Dukcapil)", "Male population (Dukcapil)", "persons",
			"Registered male residents, semester II (December).", kindCount},
		"female": {"population_dukcapil_female", "Penduduk perempuan (Dukcapil)", "Female population (Dukcapil)", "persons",
			"Registered female residents, semester II (December).", kindCount},
	},
	"population_bps": {
		"population": {"population_bps", "Proyeksi jumlah penduduk (BPS)", "Population projection (BPS)", "persons",
			"BPS projection of de-facto population. Not the Dukcapil registry count: pick one series per chart.", kindCount},
	},
	"area_big": {
		"area_km2": {"area_km2", "Luas wilayah (BIG)", "Area (BIG)", "km2",
			"Official area from Badan Informasi Geospasial.", kindNonNeg},
	},
	"ipm_bps": {
		"ipm": {"ipm", "Indeks Pembangunan Manusia (BPS, metode baru, var. 413)", "Human Development Index (BPS, new method, var. 413)", "index",
			"BPS variable 413. Not the UHH LF SP2020 series; do not mix the two.", kindNonNeg},
	},
	"poverty_bps": {
		"poverty_pct": {"poverty_pct", "Persentase penduduk miskin (P0, Maret)", "Poverty rate (P0, March)", "%",
			"Share of the population below the poverty line, March (Susenas).", kindPct},
	},
}

// knownDemography are the demography files of the reference release; when absent they are
// recorded in Dataset.Absent. Other demography/*.csv files are read too.
var knownDemography = []string{
	"demography/area_big_2024.csv",
	"demography/ipm_bps_2024.csv",
	"demography/population_bps_2026.csv",
	"demography/population_dukcapil_2024.csv",
	"demography/poverty_bps_2024.csv",
}

// IsIndicatorFile reports whether rel (a path relative to the folder) is a table whose values Load
// reads as indicators: the APBD tables and every demography/*.csv. The importer asks it rather
// than guessing by folder, so a table that disappears from a newer folder still rewrites the
// indicators, and a new kind of indicator table is added here once.
func IsIndicatorFile(rel string) bool {
	return rel == FileAPBD || rel == FileAPBD2024 || (path.Dir(rel) == DirDemography && path.Ext(rel) == ".csv")
}

// indicators accumulates indicator definitions and values.
type indicators struct {
	defs   map[string]IndicatorDef
	values map[valueKey]valueAt
}

type valueKey struct{ region, id, period string }

type valueAt struct {
	v    float64
	file string
	line int
}

// loadIndicators reads the fiscal APBD tables and the demography tables.
func (l *loader) loadIndicators() {
	ind := &indicators{defs: map[string]IndicatorDef{}, values: map[valueKey]valueAt{}}
	l.loadAPBD(ind)
	l.loadDemography(ind)

	for _, d := range ind.defs {
		l.ds.Indicators = append(l.ds.Indicators, d)
	}
	sort.Slice(l.ds.Indicators, func(i, j int) bool { return l.ds.Indicators[i].ID < l.ds.Indicators[j].ID })
	for k, v := range ind.values {
		l.ds.IndicatorValues = append(l.ds.IndicatorValues, IndicatorValue{RegionCode: k.region, IndicatorID: k.id, Period: k.period, Value: v.v})
	}
	sort.Slice(l.ds.IndicatorValues, func(i, j int) bool {
		a, b := l.ds.IndicatorValues[i], l.ds.IndicatorValues[j]
		if a.IndicatorID != b.IndicatorID {
			return a.IndicatorID < b.IndicatorID
		}
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		return a.RegionCode < b.RegionCode
	})
}

// valueColumns returns the indicator columns of t with their specs: catalogue entries, then
// unknown columns whose every non-empty cell is a number (warned: they get no label). Unknown
// text columns are ignored with a warning.
func (l *loader) valueColumns(t *table, spec func(col string) (colSpec, bool), genericID func(col string) string) []struct {
	col  string
	spec colSpec
} {
	var out []struct {
		col  string
		spec colSpec
	}
	for _, c := range t.cols {
		if textColumns[c] {
			continue
		}
		s, ok := spec(c)
		if !ok {
			if !numericColumn(t, c) {
				l.warn(t.path, 1, c, "unknown column with non-numeric values; ignored")
				continue
			}
			id := genericID(c)
			s = colSpec{id: id, labelID: id, labelEN: id, kind: kindAmount}
			l.warn(t.path, 1, c, "no catalogue entry for this column: indicator %q gets its id as label and no unit", id)
		}
		out = append(out, struct {
			col  string
			spec colSpec
		}{c, s})
	}
	return out
}

func numericColumn(t *table, col string) bool {
	for _, r := range t.rows {
		v := r.get(col)
		if v == "" {
			continue
		}
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return false
		}
	}
	return true
}

// value parses one indicator cell by kind; present is false for an empty cell.
func (l *loader) value(r row, col string, k numKind) (float64, bool) {
	switch k {
	case kindCount:
		n, present, ok := l.count(r, col)
		return float64(n), present && ok
	}
	f, present, ok := l.number(r, col)
	if !present || !ok {
		return 0, false
	}
	switch {
	case k == kindNonNeg && f < 0:
		l.problem(r.t.path, r.line, col, "%q: want a non-negative number", r.get(col))
		return 0, false
	case k == kindPct && (f < 0 || f > 100):
		l.problem(r.t.path, r.line, col, "%q: want a percentage between 0 and 100", r.get(col))
		return 0, false
	}
	return f, true
}

func (ind *indicators) define(s colSpec, dataset string) {
	if _, ok := ind.defs[s.id]; ok {
		return // first file (in load order) stays the indicator's dataset
	}
	ind.defs[s.id] = IndicatorDef{ID: s.id, LabelID: s.labelID, LabelEN: s.labelEN, Unit: s.unit, Dataset: dataset, Description: s.desc}
}

// loadAPBD reads fiscal/apbd_kabkota.csv (all years) and fiscal/apbd_kabkota_2024.csv.
//
// The 2024 file is the 2024 slice of the multi-year file (identical in the reference
// release). Values it repeats are not duplicated; it is still read and hashed for provenance.
// A value the multi-year file lacks is taken from it (warned); a value that differs is a
// warning and the multi-year file wins. Without the multi-year file, it is the source of 2024.
func (l *loader) loadAPBD(ind *indicators) {
	spec := func(c string) (colSpec, bool) { s, ok := apbdCatalogue[c]; return s, ok }
	generic := func(c string) string { return c }
	if t := l.csv(FileAPBD, false, "code", "year"); t != nil {
		cols := l.valueColumns(t, spec, generic)
		for _, c := range cols {
			ind.define(c.spec, t.path)
		}
		keys := seen{}
		for _, r := range t.rows {
			code, ok := l.regionCode(r, "code", false)
			year := r.get("year")
			if y, err := strconv.Atoi(year); err != nil || y < 1945 || y > 2100 {
				l.problem(t.path, r.line, "year", "%q is not a year", year)
				ok = false
			}
			if !ok || !l.unique(keys, r, "year", code+" "+year) {
				continue
			}
			l.checkName(r, "name", code)
			for _, c := range cols {
				if v, ok := l.value(r, c.col, c.spec.kind); ok {
					ind.values[valueKey{code, c.spec.id, year}] = valueAt{v, t.path, r.line}
				}
			}
		}
	}
	t := l.csv(FileAPBD2024, false, "code")
	if t == nil {
		return
	}
	_, haveMain := l.files[FileAPBD]
	cols := l.valueColumns(t, spec, generic)
	for _, c := range cols {
		ind.define(c.spec, t.path)
	}
	keys := seen{}
	const year = "2024"
	for _, r := range t.rows {
		code, ok := l.regionCode(r, "code", false)
		if !ok || !l.unique(keys, r, "code", code) {
			continue
		}
		l.checkName(r, "name", code)
		for _, c := range cols {
			v, ok := l.value(r, c.col, c.spec.kind)
			if !ok {
				continue
			}
			k := valueKey{code, c.spec.id, year}
			prev, dup := ind.values[k]
			switch {
			case dup && prev.v == v: // the same decimal text parses to the same float
			case dup:
				l.warn(t.path, r.line, c.col, "%v differs from %v in %s line %d; that value is kept", v, prev.v, prev.file, prev.line)
			default:
				if haveMain {
					l.warn(t.path, r.line, c.col, "%s has no 2024 value for %s; taken from this file", FileAPBD, code)
				}
				ind.values[k] = valueAt{v, t.path, r.line}
			}
		}
	}
}

// loadDemography reads every demography/*.csv: the catalogued ones with their labels, others
// (a newer release) with generic labels. The period is the file name's trailing year, or a
// year column.
func (l *loader) loadDemography(ind *indicators) {
	present := map[string]bool{}
	matches, _ := filepath.Glob(filepath.Join(l.dir, DirDemography, "*.csv"))
	var rels []string
	for _, m := range matches {
		rels = append(rels, path.Join(DirDemography, filepath.Base(m)))
	}
	sort.Strings(rels)
	for _, rel := range rels {
		present[rel] = true
		l.loadDemographyFile(ind, rel)
	}
	for _, rel := range knownDemography {
		if !present[rel] {
			l.ds.Absent = append(l.ds.Absent, rel)
		}
	}
}

func (l *loader) loadDemographyFile(ind *indicators, rel string) {
	stem := strings.TrimSuffix(path.Base(rel), ".csv")
	base, period := stem, ""
	if i := strings.LastIndexByte(stem, '_'); i > 0 && len(stem)-i-1 == 4 && isDigits(stem[i+1:]) {
		base, period = stem[:i], stem[i+1:]
	}
	b, ok := l.read(rel, false)
	if !ok {
		return
	}
	t := l.parseCSV(rel, b, "code")
	if t == nil {
		return
	}
	if period == "" && !t.has("year") {
		l.warn(rel, 1, "", "no year in the file name (name_YYYY.csv) and no year column: file ignored")
		return
	}
	cat := demographyCatalogue[base]
	spec := func(c string) (colSpec, bool) { s, ok := cat[c]; return s, ok }
	generic := func(c string) string { return base + "_" + c }
	cols := l.valueColumns(t, spec, generic)
	for _, c := range cols {
		ind.define(c.spec, rel)
	}
	keys := seen{}
	for _, r := range t.rows {
		code, ok := l.regionCode(r, "code", false)
		p := period
		if t.has("year") {
			p = r.get("year")
			if y, err := strconv.Atoi(p); err != nil || y < 1945 || y > 2100 {
				l.problem(rel, r.line, "year", "%q is not a year", p)
				ok = false
			}
		}
		if !ok || !l.unique(keys, r, "code", code+" "+p) {
			continue
		}
		l.checkName(r, "name", code)
		for _, c := range cols {
			v, ok := l.value(r, c.col, c.spec.kind)
			if !ok {
				continue
			}
			k := valueKey{code, c.spec.id, p}
			if prev, dup := ind.values[k]; dup {
				l.problem(rel, r.line, c.col, "indicator %s %s for %s already given by %s line %d", c.spec.id, p, code, prev.file, prev.line)
				continue
			}
			ind.values[k] = valueAt{v, rel, r.line}
		}
	}
}
