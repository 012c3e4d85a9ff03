package refdata

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Columns of fiscal/kapasitas_fiskal_kabkota_partial.csv come in pairs per PMK period:
// rkfd_pmk<N>_<YYYY> (the ratio) and category_pmk<N>_<YYYY>. The periods are read from the
// header rather than listed here, so a newer release that adds a PMK adds a period.
var (
	rkfdColumn     = regexp.MustCompile(`^rkfd_pmk([1-9][0-9]*)_([0-9]{4})$`)
	categoryColumn = regexp.MustCompile(`^category_pmk([1-9][0-9]*)_([0-9]{4})$`)
)

// fiscalPeriodCols is one period with the two columns that carry it.
type fiscalPeriodCols struct {
	FiscalPeriod
	n                     int // the PMK number, for ordering
	ratioCol, categoryCol string
}

// fiscalPeriodsOf finds the periods of the header. A ratio column without its category column
// (or the reverse) is a problem: the pair is what makes a period, and half of one cannot be
// read as either "no data" or a value. Columns that start like a period column but do not
// follow the pattern are ignored with a warning, so a typo does not silently drop a period.
func (l *loader) fiscalPeriodsOf(t *table) []fiscalPeriodCols {
	byID := map[string]*fiscalPeriodCols{}
	var order []string
	for _, c := range t.cols {
		m, isRatio := rkfdColumn.FindStringSubmatch(c), true
		if m == nil {
			m, isRatio = categoryColumn.FindStringSubmatch(c), false
		}
		if m == nil {
			if strings.HasPrefix(c, "rkfd_") || strings.HasPrefix(c, "category_") {
				l.warn(t.path, 1, c, "not a period column (want rkfd_pmk<N>_<YYYY> or category_pmk<N>_<YYYY>); ignored")
			}
			continue
		}
		n, _ := strconv.Atoi(m[1])
		year, _ := strconv.Atoi(m[2])
		id := fmt.Sprintf("pmk_%d_%d", n, year)
		p := byID[id]
		if p == nil {
			p = &fiscalPeriodCols{FiscalPeriod: FiscalPeriod{ID: id, Regulation: fmt.Sprintf("PMK %d/%d", n, year), Year: year}, n: n}
			byID[id] = p
			order = append(order, id)
		}
		if isRatio {
			p.ratioCol = c
		} else {
			p.categoryCol = c
		}
	}
	var out []fiscalPeriodCols
	for _, id := range order {
		p := byID[id]
		switch {
		case p.categoryCol == "":
			l.problem(t.path, 1, p.ratioCol, "ratio column without its category column %q", strings.Replace(p.ratioCol, "rkfd_", "category_", 1))
		case p.ratioCol == "":
			l.problem(t.path, 1, p.categoryCol, "category column without its ratio column %q", strings.Replace(p.categoryCol, "category_", "rkfd_", 1))
		case p.Year < 1945 || p.Year > 2100:
			l.problem(t.path, 1, p.ratioCol, "%d is not a plausible year", p.Year)
		default:
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year < out[j].Year
		}
		return out[i].n < out[j].n
	})
	if len(out) == 0 && len(order) == 0 {
		l.problem(t.path, 1, "", "no period columns (want pairs rkfd_pmk<N>_<YYYY>, category_pmk<N>_<YYYY>; header has: %s)", strings.Join(t.cols, ","))
	}
	return out
}

func fiscalCategoryNames() []string {
	out := make([]string, len(FiscalCategories))
	for i, c := range FiscalCategories {
		out[i] = string(c)
	}
	return out
}

// fiscalAt remembers where a value came from, for the consistency warnings.
type fiscalAt struct {
	line  int
	ratio float64
	note  bool
}

// loadRegionFiscal reads fiscal/kapasitas_fiskal_kabkota_partial.csv: the PMK ratio and
// category per kab/kota and period. Empty ratio and category for a period is "no data" and
// gives no RegionFiscal, never a zero or a lowest category.
func (l *loader) loadRegionFiscal() {
	t := l.csv(FileRegionFiscal, false, "code", "province_code", "source_ids")
	if t == nil {
		return
	}
	periods := l.fiscalPeriodsOf(t)
	for _, p := range periods {
		l.ds.FiscalPeriods = append(l.ds.FiscalPeriods, p.FiscalPeriod)
	}
	cats := fiscalCategoryNames()
	// period index → category → rows with a ratio, for the consistency check below.
	byCat := make([]map[FiscalCategory][]fiscalAt, len(periods))
	for i := range byCat {
		byCat[i] = map[FiscalCategory][]fiscalAt{}
	}
	keys := seen{}
	for _, r := range t.rows {
		code, ok := l.regionCode(r, "code", false)
		if !ok || !l.unique(keys, r, "code", code) {
			continue
		}
		l.checkName(r, "name", code)
		// A province code has no spelling variants: one that disagrees with the code means the
		// code or the province is wrong, and the values would land on the wrong kab/kota.
		if pc, ok := l.provinceCode(r, "province_code", false); ok && pc != "" {
			if reg := l.regions[code]; reg != nil && reg.ProvinceCode != pc {
				l.problem(t.path, r.line, "province_code", "%q but %s is in province %s in %s", pc, code, reg.ProvinceCode, FileKabkota)
			}
		}
		l.checkProvinceName(r, "province", code[:2])
		ids := l.sourceIDs(r, "source_ids")
		note := r.get("note")
		values := 0
		for i, p := range periods {
			f, hasRatio, okRatio := l.number(r, p.ratioCol)
			if okRatio && hasRatio && f < 0 {
				l.problem(t.path, r.line, p.ratioCol, "%q: want a non-negative ratio", r.get(p.ratioCol))
				okRatio = false
			}
			c, okCat := l.enum(r, p.categoryCol, true, cats...)
			hasCat := c != ""
			if !hasRatio && !hasCat {
				continue // no data for this period
			}
			values++
			switch {
			case hasRatio && !hasCat:
				l.warn(t.path, r.line, p.categoryCol, "empty, but %s is %q: a ratio without its category", p.ratioCol, r.get(p.ratioCol))
			case hasCat && !hasRatio:
				l.warn(t.path, r.line, p.ratioCol, "empty, but %s is %q: a category without its ratio", p.categoryCol, c)
			}
			rf := RegionFiscal{RegionCode: code, Period: p.ID, SourceIDs: ids, Note: note}
			if hasRatio && okRatio {
				v := f
				rf.Ratio = &v
			}
			if okCat {
				rf.Category = FiscalCategory(c)
			}
			if rf.Ratio != nil && rf.Category != "" {
				byCat[i][rf.Category] = append(byCat[i][rf.Category], fiscalAt{line: r.line, ratio: f, note: note != ""})
			}
			l.ds.RegionFiscal = append(l.ds.RegionFiscal, rf)
		}
		if values == 0 && len(periods) > 0 {
			l.warn(t.path, r.line, "", "no ratio or category for any period: the row says nothing")
		}
	}
	for i, p := range periods {
		l.checkFiscalOrder(t.path, p, byCat[i])
	}
	// By code, then period oldest first: the order Dataset documents, whatever the file's.
	rank := map[string]int{}
	for i, p := range periods {
		rank[p.ID] = i
	}
	sort.SliceStable(l.ds.RegionFiscal, func(i, j int) bool {
		a, b := l.ds.RegionFiscal[i], l.ds.RegionFiscal[j]
		if a.RegionCode != b.RegionCode {
			return a.RegionCode < b.RegionCode
		}
		return rank[a.Period] < rank[b.Period]
	})
}

// checkFiscalOrder warns when, within one period, a category's ratios reach into the next
// category's: the PMK assigns categories by thresholds on the ratio, so the ranges should not
// overlap. The compiled table has documented exceptions (a lost decimal point, inconsistent
// Gorontalo rows); those rows carry a note, and are left out of the ranges and not warned.
// It is a warning, not a problem: the values are the source's, and the source may be wrong.
func (l *loader) checkFiscalOrder(file string, p fiscalPeriodCols, byCat map[FiscalCategory][]fiscalAt) {
	type span struct {
		cat      FiscalCategory
		lo, hi   float64
		rows     []fiscalAt
		loLine   int
		hiLine   int
		hasRange bool
	}
	var spans []span
	for _, c := range FiscalCategories {
		s := span{cat: c}
		for _, a := range byCat[c] {
			if a.note {
				continue
			}
			s.rows = append(s.rows, a)
			if !s.hasRange || a.ratio < s.lo {
				s.lo, s.loLine = a.ratio, a.line
			}
			if !s.hasRange || a.ratio > s.hi {
				s.hi, s.hiLine = a.ratio, a.line
			}
			s.hasRange = true
		}
		if s.hasRange {
			spans = append(spans, s)
		}
	}
	for i := 0; i+1 < len(spans); i++ {
		lower, upper := spans[i], spans[i+1]
		if lower.hi < upper.lo {
			continue
		}
		for _, a := range lower.rows {
			if a.ratio >= upper.lo {
				l.warn(file, a.line, p.ratioCol, "%v (%s) is not below the lowest %s ratio %v (line %d) of %s: categories overlap; explain an exception in note",
					a.ratio, lower.cat, upper.cat, upper.lo, upper.loLine, p.ID)
			}
		}
		for _, a := range upper.rows {
			if a.ratio <= lower.hi {
				l.warn(file, a.line, p.ratioCol, "%v (%s) is not above the highest %s ratio %v (line %d) of %s: categories overlap; explain an exception in note",
					a.ratio, upper.cat, lower.cat, lower.hi, lower.hiLine, p.ID)
			}
		}
	}
}
