package figures_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/figures/figurestest"
	_ "mppmap/golden"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestProvincesAndRanks(t *testing.T) {
	m := figures.Build(figurestest.Snapshot())
	// Counts computed here, independently: DKI 2 of 2 yes, Jawa Barat 1 of 4, Papua 1 of 1.
	want := map[string]struct{ yes, n, rank int }{"31": {2, 2, 1}, "91": {1, 1, 1}, "32": {1, 4, 3}}
	for code, w := range want {
		p, ok := m.Province(code)
		if !ok {
			t.Fatalf("no province %s", code)
		}
		if p.Counts[data.StatusYes] != w.yes || len(p.Regions) != w.n || p.Rank != w.rank {
			t.Errorf("%s: %d of %d, rank %d; want %d of %d, rank %d", code, p.Counts[data.StatusYes], len(p.Regions), p.Rank, w.yes, w.n, w.rank)
		}
		if got := *p.StatusPct[data.StatusYes]; got != float64(int(1000*float64(w.yes)/float64(w.n)+0.5))/10 {
			t.Errorf("%s: share %v", code, got)
		}
	}
	// Equal shares (100 %) share rank 1; the order among them is more regions first, then code.
	if m.Ranking[0].Code != "31" || m.Ranking[1].Code != "91" || m.Ranking[2].Code != "32" {
		t.Errorf("ranking %s %s %s", m.Ranking[0].Code, m.Ranking[1].Code, m.Ranking[2].Code)
	}
	if n := m.National; len(n.Regions) != 7 || n.Counts[data.StatusYes] != 4 || n.Shares[1].Units != 6 || n.Rank != 0 {
		t.Errorf("national: %d regions, %d yes, %d kemenpanrb units, rank %d", len(n.Regions), n.Counts[data.StatusYes], n.Shares[1].Units, n.Rank)
	}
}

func TestRegionProfiles(t *testing.T) {
	m := figures.Build(figurestest.Snapshot())
	dki, _ := m.Region("31.72")
	if len(dki.Sites) != 1 || dki.Sites[0].RegionCode != "" || !dki.HasSiteDate || dki.SiteDate.String() != "2017-10-12" {
		t.Errorf("a DKI unit is served by the provincial MPP: sites %v, site date %v", dki.Sites, dki.SiteDate)
	}
	bogor, _ := m.Region("32.01")
	if fmt.Sprint(bogor.CitedSourceIDs) != "[S2 S10]" {
		t.Errorf("cited sources %v, want S2 before S10, once each", bogor.CitedSourceIDs)
	}
	if len(bogor.Neighbours) != 2 || *bogor.Neighbours[0].BorderKm != 61.34 || bogor.Neighbours[0].DistanceKm != nil {
		t.Errorf("neighbours %+v", bogor.Neighbours)
	}
	// Learn from: peers with an MPP, neighbours first, never the region itself.
	hostile, _ := m.Region(figurestest.HostileCode)
	if len(hostile.LearnFrom) != 1 || hostile.LearnFrom[0].Code != "32.01" {
		t.Errorf("learn from %v", hostile.LearnFrom)
	}
	if len(bogor.LearnFrom) != 0 {
		t.Errorf("Bogor learns from %v", bogor.LearnFrom)
	}
	island, _ := m.Region("91.01")
	if !island.Peers.Nearest || *island.Neighbours[0].DistanceKm != 2900.44 {
		t.Errorf("island: nearest %v, %+v", island.Peers.Nearest, island.Neighbours)
	}
	if g, _ := m.Region("32.05"); len(g.Inhibitors) != 1 || g.FiscalGroup != "no_data" {
		t.Errorf("Garut: inhibitors %v, fiscal group %s", g.Inhibitors, g.FiscalGroup)
	}
}

func TestChanges(t *testing.T) {
	m := figures.Build(figurestest.Snapshot())
	var kinds []string
	for _, c := range m.Changes {
		kinds = append(kinds, c.Kind+":"+c.Code+":"+c.Date.String())
	}
	// Newest first: Bogor's site and status change (2023-10-31), Papua's full coverage and
	// Merauke's site (by 2022-05-09), DKI's site and full coverage (2017-10-12). The first
	// recording of a status is not a change.
	want := "[site_opened:32.01:2023-10-31 status_changed:32.01:2023-10-31 province_full_coverage:91:<=2022-05-09 site_opened:91.01:<=2022-05-09 " +
		"site_opened::2017-10-12 province_full_coverage:31:2017-10-12]"
	if fmt.Sprint(kinds) != want {
		t.Errorf("changes\n got %v\nwant %s", kinds, want)
	}
	if got := m.ChangesBetween(day("2023-10-01"), day("2023-10-31")); len(got) != 2 {
		t.Errorf("October 2023: %d changes, want 2", len(got))
	}
	// "By 9 May 2022" stands for that day, not for the days before it.
	if got := m.ChangesBetween(day("2022-01-01"), day("2022-05-08")); len(got) != 0 {
		t.Errorf("before the bound: %v", got)
	}
	if got := m.LatestChanges(3); len(got) != 3 || got[0].Kind != figures.ChangeSiteOpened {
		t.Errorf("latest 3: %v", got)
	}
}

func TestPct(t *testing.T) {
	if p := figures.Pct(1, 3); p == nil || *p != 33.3 {
		t.Errorf("1/3 = %v", p)
	}
	if p := figures.Pct(2, 3); *p != 66.7 {
		t.Errorf("2/3 = %v", *p)
	}
	if figures.Pct(1, 0) != nil {
		t.Error("no total, no share")
	}
}

// The memo builds a key once however many ask at once, forgets a failed build, and belongs to
// its Model: another Model (a reload) starts empty, and the old one keeps its own values.
func TestMemo(t *testing.T) {
	m1 := figures.Build(figurestest.Snapshot())
	var builds atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := figures.Memo(m1, "k", func() (int, error) { builds.Add(1); time.Sleep(5 * time.Millisecond); return 7, nil })
			if err != nil || v != 7 {
				t.Errorf("got %v %v", v, err)
			}
		}()
	}
	wg.Wait()
	if builds.Load() != 1 {
		t.Errorf("%d builds, want 1", builds.Load())
	}
	boom := errors.New("boom")
	if _, err := figures.Memo(m1, "bad", func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if v, err := figures.Memo(m1, "bad", func() (int, error) { return 9, nil }); err != nil || v != 9 {
		t.Errorf("a failed build was remembered: %v %v", v, err)
	}
	m2 := figures.Build(figurestest.Snapshot())
	if v, _ := figures.Memo(m2, "k", func() (int, error) { return 8, nil }); v != 8 {
		t.Errorf("a new Model shares the old one's memo: %v", v)
	}
	if v, _ := figures.Memo(m1, "k", func() (int, error) { return 0, nil }); v != 7 {
		t.Errorf("the old Model lost its value: %v", v)
	}
}

// A Holder serves a Model only after every warm-up ran; a failing warm-up keeps the previous one.
func TestHolder(t *testing.T) {
	h := figures.NewHolder()
	if h.Model() != nil {
		t.Fatal("a Model before the first load")
	}
	var warmed *figures.Model
	fail := false
	h.OnLoad(func(m *figures.Model) error {
		if fail {
			return errors.New("warm-up failed")
		}
		warmed = m
		return nil
	})
	if err := h.Load(figurestest.Snapshot()); err != nil {
		t.Fatal(err)
	}
	first := h.Model()
	if first == nil || warmed != first {
		t.Fatal("the loaded Model was not warmed before it became current")
	}
	fail = true
	if err := h.Load(figurestest.Snapshot()); err == nil {
		t.Fatal("a failed warm-up did not fail the load")
	}
	if h.Model() != first {
		t.Error("a failed load replaced the current Model")
	}
}

func BenchmarkBuild(b *testing.B) {
	s := figurestest.Snapshot()
	for b.Loop() {
		figures.Build(s)
	}
}

// TestUnderReview: each region's open submissions and their sum over the country come from the
// snapshot's counts; a region without any has none.
func TestUnderReview(t *testing.T) {
	s := figurestest.Snapshot()
	s.OpenSubmissions = map[string]int{"32.01": 2, "91.01": 1}
	m := figures.Build(s)
	for code, want := range map[string]int{"32.01": 2, "91.01": 1, "32.73": 0} {
		r, ok := m.Region(code)
		if !ok {
			t.Fatalf("no region %s", code)
		}
		if r.UnderReview != want {
			t.Errorf("%s under review: %d, want %d", code, r.UnderReview, want)
		}
	}
	if m.UnderReview != 3 {
		t.Errorf("under review over all regions: %d, want 3", m.UnderReview)
	}
}
