package refdata

import (
	"regexp"
	"strings"
)

// nameIndex finds kab/kota by the way press and officials write them: "Kab Blitar",
// "Kabupaten Blitar", "Kota Jambi". The kind is part of the key because "Kabupaten Bogor" and
// "Kota Bogor" are different places; a key may still map to several codes (a name repeated
// across provinces), and then nothing is resolved.
type nameIndex map[string][]string

func newNameIndex(regions []Region) nameIndex {
	ix := nameIndex{}
	for _, r := range regions {
		kind, base, ok := splitKind(r.Name)
		if !ok {
			continue
		}
		k := kind + "|" + nameKey(base)
		ix[k] = append(ix[k], r.Code)
	}
	return ix
}

// kindPrefixes maps the ways a kind is written (lower case, longest first) to the kind.
var kindPrefixes = []struct{ prefix, kind string }{
	{"kabupaten administrasi ", "kabupaten"},
	{"kota administrasi ", "kota"},
	{"kabupaten ", "kabupaten"},
	{"kab. ", "kabupaten"},
	{"kab ", "kabupaten"},
	{"kota ", "kota"},
}

// splitKind splits "Kab Tanjung Jabung Barat" into ("kabupaten", "Tanjung Jabung Barat").
func splitKind(s string) (kind, base string, ok bool) {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	for _, p := range kindPrefixes {
		if strings.HasPrefix(lower, p.prefix) {
			return p.kind, strings.TrimSpace(s[len(p.prefix):]), true
		}
	}
	return "", "", false
}

var parenthetical = regexp.MustCompile(`\([^)]*\)`)

// nameKey normalises a base name: case, "Kep." for Kepulauan, and spacing/punctuation
// variants ("Bau Bau" = "Baubau", "Toli-Toli" = "Tolitoli").
func nameKey(base string) string {
	s := strings.ToLower(base)
	s = strings.ReplaceAll(s, "kep.", "kepulauan ")
	var b strings.Builder
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// lookup resolves one place name that starts with a kind. It returns the codes it matches
// (one when resolved) and whether the text named a kab/kota at all.
func (ix nameIndex) lookup(place string) (codes []string, namesKabkota bool) {
	place = strings.TrimSpace(parenthetical.ReplaceAllString(place, ""))
	kind, base, ok := splitKind(place)
	if !ok || base == "" {
		return nil, false
	}
	return ix[kind+"|"+nameKey(base)], true
}

// resolvePlaces resolves free text such as "Kota Jambi; Kab Tanjung Jabung Barat" to kab/kota
// codes. Parts that do not start with Kab/Kabupaten/Kota ("national (…)", "NTT (Ombudsman)",
// "8 kabupaten") resolve to nothing here, silently (places.resolve reads provinces and national
// statements); parts that do but match no or several kab/kota are returned in unresolved with a
// reason.
func (ix nameIndex) resolvePlaces(text string) (codes, unresolved []string) {
	seenCode := map[string]bool{}
	for _, part := range strings.Split(text, ";") {
		part = strings.TrimSpace(part)
		matches, named := ix.lookup(part)
		switch {
		case !named:
		case len(matches) == 1:
			if !seenCode[matches[0]] {
				seenCode[matches[0]] = true
				codes = append(codes, matches[0])
			}
		case len(matches) == 0:
			unresolved = append(unresolved, part+": matches no kab/kota")
		default:
			unresolved = append(unresolved, part+": ambiguous, matches "+strings.Join(matches, ", "))
		}
	}
	return codes, unresolved
}

// provinceAbbrev maps the abbreviations officials and the press use for provinces ("NTT
// (Ombudsman)", "Pemprov Sulsel") to Kemendagri province codes. Codes, not names, because
// names change (DKI Jakarta became Daerah Khusus Jakarta in 2024) while codes do not; a code
// is used only when codes/provinces.csv has it. Keys are nameKey forms. Kept small and
// explicit: an abbreviation missing here leaves a finding unresolved, which is honest; a wrong
// one would draw it on the wrong province.
var provinceAbbrev = map[string]string{
	"sumut":   "12", // Sumatera Utara
	"sumbar":  "13", // Sumatera Barat
	"sumsel":  "16", // Sumatera Selatan
	"babel":   "19", // Kepulauan Bangka Belitung
	"kepri":   "21", // Kepulauan Riau
	"dki":     "31", // Daerah Khusus (Ibukota) Jakarta
	"dkj":     "31", // Daerah Khusus Jakarta, the name since UU 2/2024
	"jabar":   "32", // Jawa Barat
	"jateng":  "33", // Jawa Tengah
	"diy":     "34", // Daerah Istimewa Yogyakarta
	"jatim":   "35", // Jawa Timur
	"ntb":     "52", // Nusa Tenggara Barat
	"ntt":     "53", // Nusa Tenggara Timur
	"kalbar":  "61", // Kalimantan Barat
	"kalteng": "62", // Kalimantan Tengah
	"kalsel":  "63", // Kalimantan Selatan
	"kaltim":  "64", // Kalimantan Timur
	"kaltara": "65", // Kalimantan Utara
	"sulut":   "71", // Sulawesi Utara
	"sulteng": "72", // Sulawesi Tengah
	"sulsel":  "73", // Sulawesi Selatan
	"sultra":  "74", // Sulawesi Tenggara
	"sulbar":  "76", // Sulawesi Barat
	"malut":   "82", // Maluku Utara
	"pabar":   "92", // Papua Barat
	"pbd":     "96", // Papua Barat Daya
	// Long forms that differ from the official name in more than case and spacing.
	"dkijakarta":     "31",
	"diyogyakarta":   "34",
	"yogyakarta":     "34", // a bare "Yogyakarta" part; "Kota Yogyakarta" is a kab/kota and resolved before
	"bangkabelitung": "19",
}

// provincePrefixes are the ways "province of" is written before a name, lower case.
var provincePrefixes = []string{"provinsi ", "province of ", "province ", "prov. ", "prov ", "pemprov "}

// provinceIndex finds provinces by official name or common abbreviation.
type provinceIndex map[string]string // nameKey → code

func newProvinceIndex(provinces []Province) provinceIndex {
	ix := provinceIndex{}
	known := map[string]bool{}
	for _, p := range provinces {
		ix[provinceKey(p.Name)] = p.Code
		known[p.Code] = true
	}
	for k, code := range provinceAbbrev {
		if _, taken := ix[k]; !taken && known[code] {
			ix[k] = code
		}
	}
	return ix
}

// provinceKey normalises a province name: nameKey, with "Sumatra" read as "Sumatera".
func provinceKey(name string) string {
	return strings.ReplaceAll(nameKey(name), "sumatra", "sumatera")
}

// lookup resolves one place that may name a province. prefixed says the text said "Provinsi …"
// (or a variant), so failing to resolve it is worth a warning.
func (ix provinceIndex) lookup(place string) (code string, ok, prefixed bool) {
	s := strings.TrimSpace(parenthetical.ReplaceAllString(place, ""))
	lower := strings.ToLower(s)
	for _, p := range provincePrefixes {
		if strings.HasPrefix(lower, p) {
			s, prefixed = strings.TrimSpace(s[len(p):]), true
			break
		}
	}
	if s == "" {
		return "", false, prefixed
	}
	code, ok = ix[provinceKey(s)]
	return code, ok, prefixed
}

// isNational reports whether a place part is a national statement: "national", "nasional",
// with any parenthetical ("national (Wapres)").
func isNational(part string) bool {
	s := strings.ToLower(strings.TrimSpace(parenthetical.ReplaceAllString(part, "")))
	first, _, _ := strings.Cut(s, " ")
	return first == "national" || first == "nasional" || first == "nationwide"
}

// placeRef is what a free-text place resolves to.
type placeRef struct {
	RegionCodes   []string
	ProvinceCodes []string
	Scope         string
	// Unresolved are parts that look like a kab/kota or province name but match none (or,
	// for kab/kota, several), each with the reason.
	Unresolved []string
}

// places resolves free-text places against both code lists.
type places struct {
	kabkota   nameIndex
	provinces provinceIndex
}

// resolve reads text such as "NTT (Ombudsman)", "national (Wapres)" or "Kota Jambi; Kab
// Tanjung Jabung Barat", part by part (";"). Kab/kota parts resolve as resolvePlaces does;
// other parts may name a province or be national. The scope is the most specific thing named:
// a kab/kota over a province over national; nothing recognised ("8 kabupaten") is unresolved.
func (p places) resolve(text string) placeRef {
	var ref placeRef
	ref.RegionCodes, ref.Unresolved = p.kabkota.resolvePlaces(text)
	national := false
	seenProv := map[string]bool{}
	for _, part := range strings.Split(text, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if _, _, isKabkota := splitKind(strings.TrimSpace(parenthetical.ReplaceAllString(part, ""))); isKabkota {
			continue
		}
		if isNational(part) {
			national = true
			continue
		}
		code, ok, prefixed := p.provinces.lookup(part)
		switch {
		case ok && !seenProv[code]:
			seenProv[code] = true
			ref.ProvinceCodes = append(ref.ProvinceCodes, code)
		case !ok && prefixed:
			ref.Unresolved = append(ref.Unresolved, part+": matches no province in "+FileProvinces)
		}
	}
	switch {
	case len(ref.RegionCodes) > 0:
		ref.Scope = ScopeRegion
	case len(ref.ProvinceCodes) > 0:
		ref.Scope = ScopeProvince
	case national:
		ref.Scope = ScopeNational
	default:
		ref.Scope = ScopeUnresolved
	}
	return ref
}
