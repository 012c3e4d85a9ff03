package refdata

import "strings"

// loadCodes reads the two code lists everything else is checked against.
func (l *loader) loadCodes() {
	l.provinces = map[string]*Province{}
	l.regions = map[string]*Region{}

	if t := l.csv(FileProvinces, true, provincesLayout.required()...); t != nil {
		keys := seen{}
		for _, r := range t.rows {
			p := Province{Code: r.get("code"), Name: l.nonEmpty(r, "name")}
			if !validProvinceCode(p.Code) {
				l.problem(t.path, r.line, "code", "%q is not a province code (want two digits, e.g. 32)", p.Code)
				continue
			}
			if !l.unique(keys, r, "code", p.Code) {
				continue
			}
			if n, present, ok := l.count(r, "kabupaten_count"); ok && present {
				p.KabupatenCount = n
			} else if ok {
				l.problem(t.path, r.line, "kabupaten_count", "empty: a count is required")
			}
			if n, present, ok := l.count(r, "kota_count"); ok && present {
				p.KotaCount = n
			} else if ok {
				l.problem(t.path, r.line, "kota_count", "empty: a count is required")
			}
			l.ds.Provinces = append(l.ds.Provinces, p)
		}
		for i := range l.ds.Provinces {
			l.provinces[l.ds.Provinces[i].Code] = &l.ds.Provinces[i]
		}
		l.provincesOK = !t.broken
	}
	l.provIndex = newProvinceIndex(l.ds.Provinces)

	t := l.csv(FileKabkota, true, kabkotaLayout.required()...)
	if t == nil {
		return
	}
	keys := seen{}
	for _, r := range t.rows {
		code := r.get("code")
		if !validRegionCode(code) {
			l.problem(t.path, r.line, "code", "%q is not a kab/kota code (want PP.KK, e.g. 32.73)", code)
			continue
		}
		if !l.unique(keys, r, "code", code) {
			continue
		}
		reg := Region{Code: code, Name: l.nonEmpty(r, "name")}
		reg.ProvinceCode, _ = l.provinceCode(r, "province_code", false)
		if reg.ProvinceCode != "" && reg.ProvinceCode != code[:2] {
			l.problem(t.path, r.line, "province_code", "%q does not match the code %s (want %s)", reg.ProvinceCode, code, code[:2])
		}
		reg.Kind, _ = l.enum(r, "kind", false, "kabupaten", "kota")
		if want := kindOfName(reg.Name); reg.Kind != "" && want != "" && want != reg.Kind {
			l.warn(t.path, r.line, "kind", "%q but the name %q suggests %q", reg.Kind, reg.Name, want)
		}
		reg.ProvinceName = r.get("province_name")
		if p := l.provinces[reg.ProvinceCode]; p != nil {
			if reg.ProvinceName == "" {
				reg.ProvinceName = p.Name
			} else if reg.ProvinceName != p.Name {
				l.warn(t.path, r.line, "province_name", "%q differs from %q in %s", reg.ProvinceName, p.Name, FileProvinces)
			}
		}
		l.ds.Regions = append(l.ds.Regions, reg)
	}
	for i := range l.ds.Regions {
		l.regions[l.ds.Regions[i].Code] = &l.ds.Regions[i]
	}
	l.regionsOK = !t.broken
	l.names = newNameIndex(l.ds.Regions)

	if l.provincesOK {
		kab, kota := map[string]int{}, map[string]int{}
		for _, r := range l.ds.Regions {
			if r.Kind == "kota" {
				kota[r.ProvinceCode]++
			} else {
				kab[r.ProvinceCode]++
			}
		}
		for _, p := range l.ds.Provinces {
			if p.KabupatenCount != kab[p.Code] || p.KotaCount != kota[p.Code] {
				l.warn(FileProvinces, 0, "", "province %s %s: counts %d kabupaten / %d kota, but %s lists %d / %d",
					p.Code, p.Name, p.KabupatenCount, p.KotaCount, FileKabkota, kab[p.Code], kota[p.Code])
			}
		}
	}
}

// kindOfName infers kabupaten/kota from an official name ("" when the name says neither).
func kindOfName(name string) string {
	switch {
	case strings.HasPrefix(name, "Kota "):
		return "kota"
	case strings.HasPrefix(name, "Kabupaten "):
		return "kabupaten"
	}
	return ""
}

// checkName warns when a row repeats a region's name differently from codes/kabkota.csv.
func (l *loader) checkName(r row, col, code string) {
	name := r.get(col)
	reg := l.regions[code]
	if name == "" || reg == nil || name == reg.Name {
		return
	}
	l.warn(r.t.path, r.line, col, "%q differs from %q (%s) in %s", name, reg.Name, code, FileKabkota)
}

// checkProvince warns when a row's province code disagrees with its region's.
func (l *loader) checkProvince(r row, col, provinceCode, regionCode string) {
	reg := l.regions[regionCode]
	if reg == nil || provinceCode == "" || provinceCode == reg.ProvinceCode {
		return
	}
	l.warn(r.t.path, r.line, col, "%q but %s is in province %s in %s", provinceCode, regionCode, reg.ProvinceCode, FileKabkota)
}

// checkProvinceName warns when a row's province name disagrees with codes/provinces.csv.
func (l *loader) checkProvinceName(r row, col, provinceCode string) {
	name := r.get(col)
	p := l.provinces[provinceCode]
	if name == "" || p == nil || name == p.Name {
		return
	}
	l.warn(r.t.path, r.line, col, "%q differs from %q (%s) in %s", name, p.Name, provinceCode, FileProvinces)
}
