package refdata

import (
	"net/url"
	"strconv"
	"strings"

	"mppmap/data/pdate"
)

// loadSources reads mpp/sources.csv, the list every source_ids column is checked against.
func (l *loader) loadSources() {
	l.sources = map[string]bool{}
	t := l.csv(FileSources, true, sourcesLayout.required()...)
	if t == nil {
		return
	}
	keys := seen{}
	for _, r := range t.rows {
		if src, ok := l.sourceRow(r, keys); ok {
			l.sources[src.ID] = true
			l.ds.Sources = append(l.ds.Sources, src)
		}
	}
	l.sourcesOK = !t.broken
}

// sourceRow checks one row of mpp/sources.csv; ok is false when the row cannot be kept.
func (l *loader) sourceRow(r row, keys seen) (Source, bool) {
	id := r.get("id")
	if !validSourceID(id) {
		l.problem(r.t.path, r.line, "id", "%q is not a source id (want S followed by digits)", id)
		return Source{}, false
	}
	if !l.unique(keys, r, "id", id) {
		return Source{}, false
	}
	s := Source{ID: id, Address: r.get("address"), Description: r.get("description"), DateNote: r.get("date_note"), Line: r.line}
	if s.Address == "" && s.Description == "" {
		l.problem(r.t.path, r.line, "address", "source %s has neither address nor description", id)
	}
	s.Date, _ = l.date(r, "date", dateRule{allowEmpty: true, noBefore: true})
	return s, true
}

// loadStatus reads mpp/mpp_status_by_region.csv: exactly one row per kab/kota.
func (l *loader) loadStatus() {
	t := l.csv(FileStatus, true, StatusColumns...)
	if t == nil {
		return
	}
	keys := seen{}
	for _, r := range t.rows {
		if st, ok := l.statusRow(r, keys); ok {
			l.ds.Statuses = append(l.ds.Statuses, st)
		}
	}
	if l.regionsOK {
		for _, reg := range l.ds.Regions {
			if _, ok := keys[reg.Code]; !ok {
				l.problem(t.path, 0, "code", "no status row for kab/kota %s %s (every kab/kota needs one; use unknown)", reg.Code, reg.Name)
			}
		}
	}
}

// statusRow checks one row with the columns of mpp/mpp_status_by_region.csv — the one check of
// a status, for the reference import, a steward's form, the write API and a bulk update alike.
// ok is false when the row has no usable region code (or repeats one).
func (l *loader) statusRow(r row, keys seen) (RegionStatus, bool) {
	code, ok := l.regionCode(r, "code", false)
	if !ok || !l.unique(keys, r, "code", code) {
		return RegionStatus{}, false
	}
	st := RegionStatus{RegionCode: code, Evidence: l.nonEmpty(r, "evidence"), Note: r.get("notes"), Line: r.line}
	var v string
	v, ok = l.enum(r, "mpp_status", false, statusNames()...)
	st.Status = Status(v)
	unknown := st.Status == StatusUnknown
	// Only unknown rows may lack an as-of date: every sourced status is sourced at a date.
	st.AsOf, _ = l.date(r, "status_as_of", dateRule{allowEmpty: unknown || !ok})
	st.FirstKnown, _ = l.date(r, "first_known_date", dateRule{allowEmpty: true})
	st.SourceIDs = l.sourceIDs(r, "source_ids")
	switch {
	case !ok:
	case unknown && len(st.SourceIDs) > 0:
		l.problem(r.t.path, r.line, "source_ids", "status unknown means no source was found, but the row cites %s", strings.Join(st.SourceIDs, ";"))
	case !unknown && len(st.SourceIDs) == 0 && st.Evidence != EvidenceProvincialMPP:
		l.problem(r.t.path, r.line, "source_ids", "status %s needs at least one source id (only evidence %s may go without)", st.Status, EvidenceProvincialMPP)
	}
	l.checkName(r, "name", code)
	l.checkProvince(r, "province_code", r.get("province_code"), code)
	l.checkProvinceName(r, "province", code[:2])
	return st, true
}

// loadStatusByProvince checks the derived per-province counts against the status rows. It is
// a summary, not a source of truth: disagreements are warnings, and only its notes are kept.
func (l *loader) loadStatusByProvince() {
	t := l.csv(FileStatusByProvince, false, statusByProvinceLayout.required()...)
	if t == nil {
		return
	}
	got := map[string]map[Status]int{}
	for _, st := range l.ds.Statuses {
		p := st.RegionCode[:2]
		if got[p] == nil {
			got[p] = map[Status]int{}
		}
		got[p][st.Status]++
	}
	l.ds.StatusByProvinceNotes = map[string]string{}
	for _, r := range t.rows {
		p, ok := l.provinceCode(r, "province_code", false)
		if !ok {
			continue
		}
		l.ds.StatusByProvinceNotes[p] = r.get("note")
		if len(l.ds.Statuses) == 0 {
			continue
		}
		for _, s := range Statuses {
			n, present, ok := l.count(r, string(s))
			if ok && present && n != got[p][s] {
				l.warn(t.path, r.line, string(s), "%d, but %s has %d %s rows in province %s", n, FileStatus, got[p][s], s, p)
			}
		}
	}
}

// StatusByProvinceNotes reads only the notes of dir's mpp/mpp_status_by_province.csv: the one
// part of that file a database does not hold, which an export takes from the folder it was
// imported from. A missing file gives no notes and no error.
func StatusByProvinceNotes(dir string) (map[string]string, error) {
	l := &loader{dir: dir, ds: &Dataset{Dir: dir}, files: map[string]*FileInfo{}}
	l.loadStatusByProvince()
	if len(l.probs) > 0 {
		return nil, l.probs
	}
	return l.ds.StatusByProvinceNotes, nil
}

// loadLocations reads mpp/mpp_locations.csv.
func (l *loader) loadLocations() {
	t := l.csv(FileLocations, false, locationsLayout.required()...)
	if t == nil {
		return
	}
	keys := seen{}
	for _, r := range t.rows {
		l.ds.Sites = append(l.ds.Sites, l.siteRow(r, keys))
	}
}

// siteRow checks one row with the columns of mpp/mpp_locations.csv (the import and a steward's
// site form alike).
func (l *loader) siteRow(r row, keys seen) Site {
	s := Site{Name: l.nonEmpty(r, "name"), EventID: r.get("event_id"), Evidence: l.nonEmpty(r, "evidence"), Note: r.get("notes"), Line: r.line,
		ProvinceName: r.get("province")}
	s.ProvinceCode, _ = l.provinceCode(r, "province_code", false)
	rc := r.get("regency_code")
	if p, ok := strings.CutSuffix(rc, provinceLevelSuffix); ok {
		// A province-level MPP (DKI Jakarta's): no kab/kota of its own.
		if !validProvinceCode(p) {
			l.problem(r.t.path, r.line, "regency_code", "%q: want PP (province-level) with a two-digit province code", rc)
		} else if p != s.ProvinceCode {
			l.problem(r.t.path, r.line, "regency_code", "%q is province-level for %s but province_code is %s", rc, p, s.ProvinceCode)
		}
	} else {
		s.RegionCode, _ = l.regionCode(r, "regency_code", false)
		l.checkProvince(r, "province_code", s.ProvinceCode, s.RegionCode)
		l.checkName(r, "name", s.RegionCode)
	}
	l.checkProvinceName(r, "province", s.ProvinceCode)
	l.unique(keys, r, "name", s.ProvinceCode+"|"+s.RegionCode+"|"+s.Name)

	prec, okPrec := l.enum(r, "date_precision", true, datePrecisions()...)
	d, okDate := l.date(r, "inaugurated_on", dateRule{allowEmpty: prec == ""})
	if okPrec && okDate && prec != "" && string(d.Precision) != prec {
		l.problem(r.t.path, r.line, "date_precision", "%q does not match inaugurated_on %q (which has precision %s)", prec, r.get("inaugurated_on"), d.Precision)
	}
	if okDate && !d.IsZero() && prec == "" {
		l.problem(r.t.path, r.line, "date_precision", "empty, but inaugurated_on is %q (want %s)", r.get("inaugurated_on"), d.Precision)
	}
	s.Inaugurated = d
	s.SourceIDs = l.sourceIDs(r, "source_ids")
	return s
}

// loadNationalCounts reads mpp/national_counts.csv.
func (l *loader) loadNationalCounts() {
	t := l.csv(FileNationalCounts, false, nationalCountsLayout.required()...)
	if t == nil {
		return
	}
	best := map[int]int{} // year → line of its year-end best row
	for _, r := range t.rows {
		c := NationalCount{DenominatorNote: r.get("denominator_note"), Note: r.get("note")}
		y, err := strconv.Atoi(r.get("year"))
		if err != nil || y < 1945 || y > 2100 {
			l.problem(t.path, r.line, "year", "%q is not a year", r.get("year"))
		}
		c.Year = y
		c.AsOf, _ = l.date(r, "as_of_date", dateRule{noBefore: true})
		if !c.AsOf.IsZero() && err == nil && c.AsOf.Time.Year() != y {
			l.warn(t.path, r.line, "as_of_date", "%s is not in year %d", c.AsOf, y)
		}
		n, present, ok := l.count(r, "cumulative_mpp")
		if ok && present {
			c.Cumulative = &n
		}
		c.ValueType, _ = l.enum(r, "value_type", false, ValueStated, ValueStatedApprox, ValueDerived, ValueUnknown)
		switch {
		case ok && !present && c.ValueType != ValueUnknown && c.ValueType != "":
			l.problem(t.path, r.line, "cumulative_mpp", "empty, but value_type is %s (an empty count needs value_type unknown)", c.ValueType)
		case present && c.ValueType == ValueUnknown:
			l.warn(t.path, r.line, "value_type", "unknown, but cumulative_mpp is %q", r.get("cumulative_mpp"))
		}
		yb, _ := l.enum(r, "is_year_end_best", false, flagYes, flagNo)
		c.IsYearEndBest = yb == flagYes
		if c.IsYearEndBest && err == nil {
			if prev, dup := best[y]; dup {
				l.problem(t.path, r.line, "is_year_end_best", "year %d already has its best value on line %d", y, prev)
			}
			best[y] = r.line
		}
		c.SourceIDs = l.sourceIDs(r, "source_ids")
		l.ds.NationalCounts = append(l.ds.NationalCounts, c)
	}
}

// loadTargets reads mpp/targets.csv.
func (l *loader) loadTargets() {
	t := l.csv(FileTargets, false, targetsLayout.required()...)
	if t == nil {
		return
	}
	keys := seen{}
	for _, r := range t.rows {
		tg := Target{ID: l.nonEmpty(r, "target_id"), SetBy: l.nonEmpty(r, "set_by"), TargetYear: r.get("target_year"),
			Target: l.nonEmpty(r, "target"), Scope: r.get("scope"), OutcomeNote: r.get("outcome_note")}
		l.unique(keys, r, "target_id", tg.ID)
		tg.StatedOn, _ = l.date(r, "stated_on", dateRule{allowEmpty: true, noBefore: true})
		tg.SourceIDs = l.sourceIDs(r, "source_ids")
		l.ds.Targets = append(l.ds.Targets, tg)
	}
}

// loadInhibitors reads mpp/inhibitors.csv and resolves its free-text places to kab/kota or
// provinces, and says what each finding is about (Inhibitor.Scope).
func (l *loader) loadInhibitors() {
	t := l.csv(FileInhibitors, false, inhibitorsLayout.required()...)
	if t == nil {
		return
	}
	for _, r := range t.rows {
		in := Inhibitor{Category: l.nonEmpty(r, "factor_category"), Finding: l.nonEmpty(r, "finding"),
			Where: r.get("where"), DateText: r.get("date")}
		in.Scope = ScopeUnresolved
		if l.regionsOK {
			ref := places{kabkota: l.names, provinces: l.provIndex}.resolve(in.Where)
			in.RegionCodes, in.ProvinceCodes, in.Scope = ref.RegionCodes, ref.ProvinceCodes, ref.Scope
			for _, u := range ref.Unresolved {
				l.warn(t.path, r.line, "where", "%s; not resolved to a place", u)
			}
		}
		in.SourceIDs = l.sourceIDs(r, "source_ids")
		l.ds.Inhibitors = append(l.ds.Inhibitors, in)
	}
}

// loadDigital reads the three MPP Digital tables.
func (l *loader) loadDigital() {
	if t := l.csv(FileDigital, false, digitalLayout.required()...); t != nil {
		for _, r := range t.rows {
			f := DigitalFact{DateText: r.get("date"), Metric: l.nonEmpty(r, "metric"), Value: l.nonEmpty(r, "value")}
			if d, err := pdate.Parse(f.DateText); err == nil {
				f.Date = d
			} else if f.DateText != "" {
				l.warn(t.path, r.line, "date", "%q is not a plain date; kept as text", f.DateText)
			}
			f.SourceIDs = l.sourceIDs(r, "source_ids")
			l.ds.DigitalFacts = append(l.ds.DigitalFacts, f)
		}
	}
	if t := l.csv(FileDigitalPilots, false, digitalPilotsLayout.required()...); t != nil {
		for _, r := range t.rows {
			p := DigitalPilot{NameAsPublished: l.nonEmpty(r, "name_as_published"), EventDate: r.get("event_date"), Note: r.get("note")}
			if p.EventDate != "" {
				l.date(r, "event_date", dateRule{})
			}
			p.SourceIDs = l.sourceIDs(r, "source_ids")
			l.ds.DigitalPilots = append(l.ds.DigitalPilots, p)
		}
	}
	if t := l.csv(FileDigitalRegions, false, digitalRegionsLayout.required()...); t != nil {
		keys := seen{}
		for _, r := range t.rows {
			code, ok := l.regionCode(r, "code", false)
			dr := DigitalRegion{RegionCode: code, Model: l.nonEmpty(r, "model"), AsOf: r.get("as_of"), Note: r.get("notes")}
			if ok {
				l.checkName(r, "name", code)
				l.unique(keys, r, "model", code+"|"+dr.Model)
			}
			if dr.AsOf != "" {
				l.date(r, "as_of", dateRule{})
			}
			dr.SourceIDs = l.sourceIDs(r, "source_ids")
			l.ds.DigitalRegions = append(l.ds.DigitalRegions, dr)
		}
	}
}

// loadCosts reads mpp/mpp_costs.csv. Its last column holds either source ids ("S59;S60", each
// checked against mpp/sources.csv) or an http(s) address; the two are kept apart (Cost.SourceIDs,
// Cost.Address) so a page can link a source id to its entry and an address to itself. A cell that
// is neither is a problem: it would be a citation nobody can follow.
func (l *loader) loadCosts() {
	const srcCol = costSourceColumn
	t := l.csv(FileCosts, false, costsLayout.required()...)
	if t == nil {
		return
	}
	for _, r := range t.rows {
		c := Cost{RegionName: l.nonEmpty(r, "region"), Amount: l.nonEmpty(r, "amount"), What: r.get("what"),
			YearText: r.get("year"), Source: r.get(srcCol)}
		code, ok := l.regionCode(r, "code", true)
		c.RegionCode = code
		if ok && code != "" && l.regionsOK {
			if matches, named := l.names.lookup(c.RegionName); named && (len(matches) != 1 || matches[0] != code) {
				l.warn(t.path, r.line, "region", "%q does not name %s %s", c.RegionName, code, l.regions[code].Name)
			}
		}
		switch {
		case looksLikeSourceIDs(c.Source):
			c.SourceIDs = l.checkSourceList(r, srcCol, c.Source)
		case isHTTPAddress(c.Source):
			c.Address = c.Source
		case c.Source == "":
			l.problem(t.path, r.line, srcCol, "empty: want source ids (e.g. S59;S60) or an http(s) address")
		default:
			l.problem(t.path, r.line, srcCol, "%q is neither a list of source ids (e.g. S59;S60) nor an http(s) address", c.Source)
		}
		l.ds.Costs = append(l.ds.Costs, c)
	}
}

func looksLikeSourceIDs(s string) bool {
	if s == "" {
		return false
	}
	for _, p := range strings.Split(s, ";") {
		if !validSourceID(strings.TrimSpace(p)) {
			return false
		}
	}
	return true
}

// isHTTPAddress reports whether s is one absolute http or https address with a host.
func isHTTPAddress(s string) bool {
	if strings.ContainsAny(s, " \t\n;") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// loadFiscalCapacity reads the partial PMK categories.
func (l *loader) loadFiscalCapacity() {
	t := l.csv(FileFiscalCapacity, false, fiscalCapacityLayout.required()...)
	if t == nil {
		return
	}
	for _, r := range t.rows {
		fc := FiscalCapacity{Regulation: l.nonEmpty(r, "regulation"), Category: l.nonEmpty(r, "category"), Note: r.get("note")}
		fc.Level, _ = l.enum(r, "level", false, "province", "kabupaten", "kota")
		fc.ProvinceCode, _ = l.provinceCode(r, "province_code", false)
		l.checkProvinceName(r, "province", fc.ProvinceCode)
		code, ok := l.regionCode(r, "region_code", true)
		fc.RegionCode = code
		switch {
		case fc.Level == "province" && code != "":
			l.problem(t.path, r.line, "region_code", "%q given on a province row", code)
		case (fc.Level == "kabupaten" || fc.Level == "kota") && code == "" && ok:
			l.problem(t.path, r.line, "region_code", "empty: a %s row needs a kab/kota code", fc.Level)
		case code != "" && ok:
			l.checkProvince(r, "province_code", fc.ProvinceCode, code)
			l.checkName(r, "region", code)
			if reg := l.regions[code]; reg != nil && reg.Kind != fc.Level {
				l.warn(t.path, r.line, "level", "%q but %s is a %s", fc.Level, code, reg.Kind)
			}
		}
		fc.RegulationDate, _ = l.date(r, "regulation_date", dateRule{allowEmpty: true, noBefore: true})
		fc.SourceIDs = l.sourceIDs(r, "source_ids")
		l.ds.FiscalCapacity = append(l.ds.FiscalCapacity, fc)
	}
}

// loadDatasets attaches datasets.csv's provenance to the files read.
func (l *loader) loadDatasets() {
	t := l.csv(FileDatasets, false, datasetsLayout.required()...)
	if t == nil {
		return
	}
	keys := seen{}
	for _, r := range t.rows {
		path := l.nonEmpty(r, "path")
		if path == "" || !l.unique(keys, r, "path", path) {
			continue
		}
		fi := l.files[path]
		if fi == nil {
			if !l.exists(path) {
				l.warn(t.path, r.line, "path", "%q: no such file in the folder", path)
			}
			continue
		}
		fi.Title, fi.Publisher, fi.Licence = r.get("title"), r.get("publisher"), r.get("licence")
		fi.Attribution, fi.Upstream, fi.AsOf = r.get("attribution"), r.get("source"), r.get("as_of")
		fi.DatasetsLine = r.line
	}
}
