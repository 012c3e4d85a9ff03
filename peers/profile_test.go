package peers

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/locale"
)

// snap: four regions of one province, two kinds; 32.04 borders 32.05 and 32.73; 32.10 is an
// island whose neighbours are the nearest regions.
func snap() *data.Snapshot {
	v := func(pad, ipm float64) []data.IndicatorValue {
		return []data.IndicatorValue{{IndicatorID: fiscal.Indicator, Period: "2024", Value: pad}, {IndicatorID: "ipm", Period: "2023", Value: ipm},
			{IndicatorID: "ipm", Period: "2022", Value: 1}}
	}
	return data.NewSnapshot(data.Snapshot{
		Regions: []data.Region{
			{Code: "32.04", Name: "Kabupaten Bandung", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten", Status: data.StatusNo},
			{Code: "32.05", Name: "Kabupaten Garut", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten", Status: data.StatusUnknown},
			{Code: "32.10", Name: "Kabupaten Pulau", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kabupaten", Status: data.StatusYes},
			{Code: "32.73", Name: "Kota Bandung", ProvinceCode: "32", ProvinceName: "Jawa Barat", Kind: "kota", Status: data.StatusYes},
		},
		Values: map[string][]data.IndicatorValue{"32.04": v(10, 72), "32.05": v(11, 68), "32.73": v(30, 82)},
		Neighbours: map[string][]data.Neighbour{
			"32.04": {{Code: "32.73", Relation: data.RelationBorder, BorderKm: 40}, {Code: "32.05", Relation: data.RelationBorder, BorderKm: 20}},
			"32.10": {{Code: "32.05", Relation: data.RelationNearest, DistanceKm: 30}},
		},
	})
}

func TestProfile(t *testing.T) {
	s := snap()
	cat := catalog(t)
	id, en := cat.MustLang("id"), cat.MustLang("en")
	ix := NewIndex(s)
	if p, _ := ix.LatestPeriod("ipm"); p != "2023" {
		t.Errorf("latest ipm period %q, want 2023", p)
	}
	tests := []struct {
		name, code string
		group      string
		n, k, unk  int
		label      string
		withMPP    []string
	}{
		{"neighbours, longest border first", "32.04", GroupNeighbours, 2, 1, 1, "neighbours sharing a land border, longest border first", []string{"32.73"}},
		{"island: nearest regions", "32.10", GroupNeighbours, 1, 0, 1, "no land neighbour: nearest regions by distance", []string{}},
		{"province excludes the region", "32.04", GroupProvince, 3, 2, 1, "same province: Jawa Barat", []string{"32.10", "32.73"}},
		{"same kind", "32.04", GroupKind, 2, 1, 1, "same kind: kabupaten", []string{"32.10"}},
		// 32.10 has no budget value: it is no_data, never in a quintile with 32.04.
		{"fiscal group", "32.04", GroupFiscal, 0, 0, 0, "same fiscal group: q1, lowest PAD share (own calculation from APBD 2024)", []string{}},
		{"no data is a group of its own", "32.10", GroupFiscal, 0, 0, 0, "same fiscal group: no data (own calculation from APBD 2024)", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := s.Region(tt.code)
			p := ix.Profile(s, r)
			if len(p.Groups) != 4 {
				t.Fatalf("%d groups, want 4", len(p.Groups))
			}
			g, ok := p.Group(tt.group)
			if !ok {
				t.Fatalf("no group %s", tt.group)
			}
			if g.N != tt.n || g.WithMPP != tt.k || g.Unknown != tt.unk || en.Msg(g.Label) != tt.label || fmt.Sprint(g.WithMPPCodes) != fmt.Sprint(tt.withMPP) {
				t.Errorf("got n=%d k=%d unknown=%d %q %v", g.N, g.WithMPP, g.Unknown, en.Msg(g.Label), g.WithMPPCodes)
			}
			if en.Msg(g.Text) != fmt.Sprintf("%d of %d have an MPP", tt.k, tt.n) || id.Msg(g.Text) != fmt.Sprintf("%d dari %d memiliki MPP", tt.k, tt.n) {
				t.Errorf("text %q / %q", en.Msg(g.Text), id.Msg(g.Text))
			}
		})
	}
	r, _ := s.Region("32.04")
	p := ix.Profile(s, r)
	if p.FiscalGroup != "q1" || p.Periods["ipm"] != "2023" {
		t.Errorf("fiscal group %s, periods %v", p.FiscalGroup, p.Periods)
	}
	g, _ := p.Group(GroupProvince)
	if m := g.Medians["ipm"]; m == nil || *m != 75 {
		t.Errorf("province median ipm %v, want 75 (68 and 82; 32.10 has no value)", m)
	}
	if rk := g.Ranks["ipm"]; rk == nil || *rk != (Rank{2, 3}) {
		t.Errorf("rank %v, want 2 of 3", rk)
	}
}

func ExampleIndex_Profile() {
	s := snap()
	ix := NewIndex(s) // once per snapshot
	r, _ := s.Region("32.04")
	p := ix.Profile(s, r)
	cat, _ := locale.Load()
	en, id := cat.MustLang("en"), cat.MustLang("id")
	for _, g := range p.Groups {
		fmt.Printf("%s: %s (%s)\n", g.Key, en.Msg(g.Text), en.Msg(g.Label))
	}
	fmt.Println(id.Msg(p.Summary))
	// Output:
	// neighbours: 1 of 2 have an MPP (neighbours sharing a land border, longest border first)
	// province: 2 of 3 have an MPP (same province: Jawa Barat)
	// kind: 1 of 2 have an MPP (same kind: kabupaten)
	// fiscal: 0 of 0 have an MPP (same fiscal group: q1, lowest PAD share (own calculation from APBD 2024))
	// Kabupaten Bandung belum memiliki MPP; 1 dari 2 tetangganya sudah, 1 belum diketahui.
}

// The province, kind and fiscal groups are computed from per-group statistics with the region
// taken out arithmetically; they must equal Compare over the other members, for every region of
// a random country (ties, missing values and every status included).
func TestProfileGroupsEqualDirectComparison(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	statuses := []data.Status{data.StatusYes, data.StatusInProgress, data.StatusNo, data.StatusUnknown}
	s := data.Snapshot{Values: map[string][]data.IndicatorValue{}}
	for i := range 80 {
		code := fmt.Sprintf("%02d.%02d", 11+i%4, i)
		kind := "kabupaten"
		if i%5 == 0 {
			kind = "kota"
		}
		s.Regions = append(s.Regions, data.Region{Code: code, Name: code, ProvinceCode: code[:2], Kind: kind, Status: statuses[rng.IntN(4)]})
		for _, id := range Indicators {
			if rng.IntN(6) == 0 {
				continue // no data
			}
			s.Values[code] = append(s.Values[code], data.IndicatorValue{IndicatorID: id, Period: "2024", Value: float64(rng.IntN(12))})
		}
	}
	snap := data.NewSnapshot(s)
	ix := NewIndex(snap)
	for _, r := range snap.Regions {
		p := ix.Profile(snap, r)
		self := ix.Member(r.Code)
		for _, key := range []string{GroupProvince, GroupKind, GroupFiscal} {
			var peers []Member
			for _, o := range snap.Regions {
				same := map[string]bool{GroupProvince: o.ProvinceCode == r.ProvinceCode, GroupKind: o.Kind == r.Kind,
					GroupFiscal: ix.Fiscal.Of(o.Code) == ix.Fiscal.Of(r.Code)}[key]
				if same && o.Code != r.Code {
					peers = append(peers, ix.Member(o.Code))
				}
			}
			want := Compare(self, peers, Indicators)
			got, _ := p.Group(key)
			if dump(got.Group) != dump(want) {
				t.Fatalf("%s %s:\n got %s\nwant %s", r.Code, key, dump(got.Group), dump(want))
			}
		}
	}
}

// dump writes a Group with its pointers followed.
func dump(g Group) string {
	out := fmt.Sprintf("n=%d k=%d ip=%d u=%d pct=%v", g.N, g.WithMPP, g.InProgress, g.Unknown, deref(g.WithMPPPct))
	for _, id := range Indicators {
		out += fmt.Sprintf(" %s[med=%v count=%d rank=%v]", id, deref(g.Medians[id]), g.Counts[id], g.Ranks[id])
	}
	return out
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
