package peers

import (
	"fmt"
	"testing"
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
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sentence(tt.lang, "Kabupaten X", tt.status, tt.nb); got != tt.want {
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

func TestQuintiles(t *testing.T) {
	vals := map[string]float64{}
	for i := 0; i < 10; i++ {
		vals[fmt.Sprintf("r%02d", i)] = float64(i)
	}
	q := Quintiles(vals)
	for code, want := range map[string]int{"r00": 1, "r01": 1, "r02": 2, "r05": 3, "r09": 5} {
		if q[code] != want {
			t.Errorf("quintile of %s = %d, want %d", code, q[code], want)
		}
	}
	if _, ok := q["missing"]; ok {
		t.Error("a region without a value must get no quintile")
	}
	tied := Quintiles(map[string]float64{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1})
	for c, g := range tied {
		if g != 1 {
			t.Errorf("tied %s in quintile %d, want 1", c, g)
		}
	}
}

func Example() {
	self := Member{Code: "32.04", Status: "no", Values: map[string]float64{"ipm": 73}}
	neighbours := []Member{{Code: "32.73", Status: "yes"}, {Code: "32.17", Status: "yes"}, {Code: "32.05", Status: "unknown"}}
	g := Compare(self, neighbours, nil)
	fmt.Println(Sentence("id", "Kabupaten Bandung", self.Status, Neighbours{N: g.N, WithMPP: g.WithMPP, Unknown: g.Unknown}))
	// Output: Kabupaten Bandung belum memiliki MPP; 2 dari 3 tetangganya sudah, 1 belum diketahui.
}
