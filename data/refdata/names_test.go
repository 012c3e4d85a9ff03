package refdata

import (
	"slices"
	"testing"
)

func TestResolveScope(t *testing.T) {
	p := places{
		kabkota: newNameIndex([]Region{
			{Code: "15.71", Name: "Kota Jambi"}, {Code: "15.06", Name: "Kabupaten Tanjung Jabung Barat"},
			{Code: "35.05", Name: "Kabupaten Blitar"}, {Code: "53.71", Name: "Kota Kupang"},
		}),
		provinces: newProvinceIndex([]Province{
			{Code: "15", Name: "Jambi"}, {Code: "32", Name: "Jawa Barat"}, {Code: "35", Name: "Jawa Timur"},
			{Code: "52", Name: "Nusa Tenggara Barat"}, {Code: "53", Name: "Nusa Tenggara Timur"},
			{Code: "12", Name: "Sumatera Utara"}, {Code: "73", Name: "Sulawesi Selatan"},
			{Code: "91", Name: "Papua"}, {Code: "92", Name: "Papua Barat"},
			{Code: "31", Name: "Daerah Khusus Ibukota Jakarta"},
			// 82 Maluku Utara is left out: its abbreviation must then resolve to nothing.
		}),
	}
	tests := []struct {
		name, where string
		regions     []string
		provinces   []string
		scope       string
		unresolved  int
	}{
		{"province abbreviation with a parenthetical", "NTT (Ombudsman)", nil, []string{"53"}, ScopeProvince, 0},
		{"national with a parenthetical", "national (Wapres)", nil, nil, ScopeNational, 0},
		{"national alone", "national", nil, nil, ScopeNational, 0},
		{"nasional in Indonesian, any case", "Nasional (KemenPANRB)", nil, nil, ScopeNational, 0},
		{"two kab/kota", "Kota Jambi; Kab Tanjung Jabung Barat", []string{"15.71", "15.06"}, nil, ScopeRegion, 0},
		{"a count of kabupaten", "8 kabupaten", nil, nil, ScopeUnresolved, 0},
		{"empty", "", nil, nil, ScopeUnresolved, 0},
		{"full province name", "Nusa Tenggara Timur", nil, []string{"53"}, ScopeProvince, 0},
		{"Provinsi prefix", "Provinsi Jawa Barat", nil, []string{"32"}, ScopeProvince, 0},
		{"Prov. prefix", "Prov. Papua", nil, []string{"91"}, ScopeProvince, 0},
		{"Papua Barat is not Papua", "Papua Barat (Gubernur)", nil, []string{"92"}, ScopeProvince, 0},
		{"lower-case abbreviation", "sulsel", nil, []string{"73"}, ScopeProvince, 0},
		{"Sumatra spelling", "Sumatra Utara", nil, []string{"12"}, ScopeProvince, 0},
		{"DKI", "DKI", nil, []string{"31"}, ScopeProvince, 0},
		{"two provinces, each once", "NTB; NTT; Nusa Tenggara Barat", nil, []string{"52", "53"}, ScopeProvince, 0},
		{"a kab/kota wins over its province", "Kota Kupang; NTT", []string{"53.71"}, []string{"53"}, ScopeRegion, 0},
		{"a province wins over national", "national; Jatim", nil, []string{"35"}, ScopeProvince, 0},
		{"Kota Jambi is the kab/kota, not the province", "Kota Jambi", []string{"15.71"}, nil, ScopeRegion, 0},
		{"a bare Jambi is the province", "Jambi", nil, []string{"15"}, ScopeProvince, 0},
		{"abbreviation of a province not in the list", "Malut", nil, nil, ScopeUnresolved, 0},
		{"Provinsi with an unknown name is warned", "Provinsi Atlantis", nil, nil, ScopeUnresolved, 1},
		{"unknown kab/kota is warned", "Kab Atlantis", nil, nil, ScopeUnresolved, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := p.resolve(tc.where)
			if !slices.Equal(got.RegionCodes, tc.regions) || !slices.Equal(got.ProvinceCodes, tc.provinces) ||
				got.Scope != tc.scope || len(got.Unresolved) != tc.unresolved {
				t.Errorf("resolve(%q) = %+v; want regions %v provinces %v scope %s, %d unresolved",
					tc.where, got, tc.regions, tc.provinces, tc.scope, tc.unresolved)
			}
		})
	}
}

// TestProvinceAbbreviationsExist: every abbreviation points at a code of the real province list,
// so a typo in the table cannot draw a finding on a province that does not exist.
func TestProvinceAbbreviationsExist(t *testing.T) {
	ds, err := Load(realData(t))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, p := range ds.Provinces {
		known[p.Code] = true
	}
	for abbr, code := range provinceAbbrev {
		if !known[code] {
			t.Errorf("abbreviation %q → %s, which is not in %s", abbr, code, FileProvinces)
		}
	}
}
