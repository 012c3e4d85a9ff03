package peers

import (
	"fmt"
	"testing"

	"mppmap/locale"
)

func TestSentence(t *testing.T) {
	tests := []struct {
		name, lang, status string
		nb                 Neighbours
		want               string
	}{
		{"no, most neighbours have", "id", "no", Neighbours{N: 9, WithMPP: 7}, "Kabupaten X belum memiliki MPP; 7 dari 9 tetangganya sudah."},
		{"no en", "en", "no", Neighbours{N: 9, WithMPP: 7}, "Kabupaten X has no MPP yet; 7 of its 9 neighbours do."},
		{"yes", "id", "yes", Neighbours{N: 4, WithMPP: 2}, "Kabupaten X sudah memiliki MPP; 2 dari 4 tetangganya juga sudah."},
		{"yes en", "en", "yes", Neighbours{N: 4, WithMPP: 2}, "Kabupaten X has an MPP; 2 of its 4 neighbours do too."},
		{"unknown is not no", "id", "unknown", Neighbours{N: 6, WithMPP: 3, Unknown: 2}, "Status MPP Kabupaten X belum diketahui; 3 dari 6 tetangganya sudah memiliki MPP, 2 belum diketahui."},
		{"unknown en", "en", "unknown", Neighbours{N: 6, WithMPP: 3, Unknown: 2}, "Whether Kabupaten X has an MPP is not yet known; 3 of its 6 neighbours have one, and for 2 it is not yet known."},
		{"in progress", "id", "in_progress", Neighbours{N: 2, WithMPP: 0}, "Kabupaten X sedang menyiapkan MPP; belum ada dari 2 tetangganya yang memiliki MPP."},
		{"island", "en", "no", Neighbours{N: 3, WithMPP: 1, Nearest: true}, "Kabupaten X has no MPP yet; 1 of its 3 nearest regions do."},
		{"no neighbours", "id", "no", Neighbours{}, "Kabupaten X belum memiliki MPP."},
	}
	cat := catalog(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cat.MustLang(tt.lang).Msg(Summary("Kabupaten X", tt.status, tt.nb)); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	self := Member{Code: "a", Status: "no", Values: map[string]float64{"ipm": 70}}
	peers := []Member{
		{Code: "b", Status: "yes", Values: map[string]float64{"ipm": 75, "pad": 10}},
		{Code: "c", Status: "unknown", Values: map[string]float64{"ipm": 65}},
		{Code: "d", Status: "yes", Values: map[string]float64{}},
	}
	g := Compare(self, peers, []string{"ipm", "pad", "poverty"})
	if g.N != 3 || g.WithMPP != 2 || g.Unknown != 1 {
		t.Errorf("counts = %+v", g)
	}
	if m := g.Medians["ipm"]; m == nil || *m != 70 {
		t.Errorf("median ipm = %v, want 70", m)
	}
	if g.Medians["poverty"] != nil {
		t.Error("median of nothing must be missing, not 0")
	}
	if r := g.Ranks["ipm"]; r == nil || *r != (Rank{2, 3}) {
		t.Errorf("rank ipm = %v, want 2 of 3", r)
	}
	if g.Ranks["pad"] != nil {
		t.Error("no value, no rank")
	}
}

// catalog is the real catalogs: the sentences are asserted as readers get them.
func catalog(t testing.TB) *locale.Catalog {
	t.Helper()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func Example() {
	self := Member{Code: "32.04", Status: "no", Values: map[string]float64{"ipm": 73}}
	neighbours := []Member{{Code: "32.73", Status: "yes"}, {Code: "32.17", Status: "yes"}, {Code: "32.05", Status: "unknown"}}
	g := Compare(self, neighbours, nil)
	cat, _ := locale.Load()
	fmt.Println(cat.MustLang("id").Msg(Summary("Kabupaten Bandung", self.Status, Neighbours{N: g.N, WithMPP: g.WithMPP, Unknown: g.Unknown})))
	// Output: Kabupaten Bandung belum memiliki MPP; 2 dari 3 tetangganya sudah, 1 belum diketahui.
}
