package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/figures/figurestest"
	"mppmap/locale"
)

// parityModels serves one Model whose figures were replaced by sentinels.
type parityModels struct{ m *figures.Model }

func (p parityModels) Model() *figures.Model             { return p.m }
func (p parityModels) OnLoad(func(*figures.Model) error) {}
func (p parityModels) Ping(context.Context) error        { return nil }
func (p parityModels) State() data.LiveState             { return data.LiveState{} }

// TestSurfacesShowTheFiguresOfOneModel is the parity test of the API and the pages: the figures
// of a Model are replaced by sentinel values no computation would give (province ranks in the
// hundreds, shares of 77.x %, status counts in the thousands; per region a peer group of
// 9xx of 9yy, a summary, a site and a "learn from" list of its own), then every province and
// region is asked of both surfaces. Each must show the sentinels: a surface that computed a
// figure itself — a rank from rounded shares, a share from counts, a site list of its own —
// shows the real value and fails.
func TestSurfacesShowTheFiguresOfOneModel(t *testing.T) {
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	m := figures.Build(figurestest.Snapshot())
	type provWant struct {
		rank       int
		pct, yes   float64
		yesCount   int
		unknownCnt int
	}
	provs := map[string]provWant{}
	for i, p := range m.Provinces {
		w := provWant{rank: 900 + i, pct: 77.1 + float64(i)/10, yes: 66.6 + float64(i)/10, yesCount: 4000 + i, unknownCnt: 5000 + i}
		p.Rank = w.rank
		p.Shares[0].Pct = &w.pct
		p.StatusPct[data.StatusYes] = &w.yes
		p.Counts[data.StatusYes], p.Counts[data.StatusUnknown] = w.yesCount, w.unknownCnt
		provs[p.Code] = w
	}
	type regWant struct {
		k, n    int
		summary string
		site    string
		learn   string
	}
	regs := map[string]regWant{}
	for i, r := range m.Regions {
		w := regWant{k: 900 + i, n: 950 + i, summary: fmt.Sprintf("Sentinel summary %d", i), site: fmt.Sprintf("Sentinel site %d", i)}
		for gi := range r.Peers.Groups {
			r.Peers.Groups[gi].N, r.Peers.Groups[gi].WithMPP = w.n, w.k
		}
		r.Peers.Summary = locale.M("summary.alone", "First", w.summary)
		r.Sites = []data.Site{{ProvinceCode: r.ProvinceCode, RegionCode: r.Code, Name: w.site}}
		other := m.Regions[(i+3)%len(m.Regions)]
		r.LearnFrom = []*figures.Region{other}
		w.learn = other.Code
		regs[r.Code] = w
	}
	app, err := newApp(appDeps{Models: parityModels{m}, DB: parityModels{m}, Catalog: cat, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}

	for code, w := range provs {
		var api struct {
			Province struct {
				Rank   int                 `json:"rank"`
				Counts map[data.Status]int `json:"counts"`
				Shares []struct {
					Pct *float64 `json:"pct"`
				} `json:"shares"`
			} `json:"province"`
		}
		getJSON(t, app, "/api/v1/provinces/"+code, &api)
		p := api.Province
		if p.Rank != w.rank || p.Shares[0].Pct == nil || *p.Shares[0].Pct != w.pct || p.Counts[data.StatusYes] != w.yesCount {
			t.Errorf("API province %s: rank %d, share %v, yes %d; the Model says %d, %v, %d", code, p.Rank, p.Shares[0].Pct, p.Counts[data.StatusYes], w.rank, w.pct, w.yesCount)
		}
		for _, l := range []string{"id", "en"} {
			lg := cat.MustLang(l)
			prefix := map[string]string{"id": "", "en": "/en"}[l]
			body := getPage(t, app, prefix+"/provinsi/"+code)
			for _, want := range []string{html.EscapeString(lg.T("province.rank", "Rank", w.rank, "Of", len(m.Provinces))), html.EscapeString(lg.Percent(w.yes)),
				`<span class="count">` + lg.Int(w.yesCount) + `</span>`, `<span class="count">` + lg.Int(w.unknownCnt) + `</span>`} {
				if !strings.Contains(body, want) {
					t.Errorf("page %s/provinsi/%s lacks the Model's %q", prefix, code, want)
				}
			}
			home := getPage(t, app, prefix+"/")
			row := fmt.Sprintf(`<tr><td class="num">%d</td><th scope="row"><a href="%s/provinsi/%s">`, w.rank, prefix, code)
			if !strings.Contains(home, row) || !strings.Contains(home, html.EscapeString(lg.Percent(w.pct))) {
				t.Errorf("ranking on %s/ does not show province %s at the Model's rank %d with share %v", prefix, code, w.rank, w.pct)
			}
		}
	}

	for code, w := range regs {
		var api struct {
			Sites []struct {
				Name string `json:"name"`
			} `json:"sites"`
			PeerGroups []struct {
				N       int `json:"n"`
				WithMPP int `json:"with_mpp"`
			} `json:"peer_groups"`
			LearnFrom []string          `json:"learn_from"`
			Summary   map[string]string `json:"summary"`
		}
		getJSON(t, app, "/api/v1/regions/"+code, &api)
		if len(api.Sites) != 1 || api.Sites[0].Name != w.site || len(api.LearnFrom) != 1 || api.LearnFrom[0] != w.learn ||
			api.Summary["en"] != w.summary+"." || api.Summary["id"] != w.summary+"." {
			t.Errorf("API region %s: sites %v, learn from %v, summary %v; the Model says %q, %s, %q", code, api.Sites, api.LearnFrom, api.Summary, w.site, w.learn, w.summary)
		}
		for _, g := range api.PeerGroups {
			if g.N != w.n || g.WithMPP != w.k {
				t.Errorf("API region %s: peer group %d of %d, the Model says %d of %d", code, g.WithMPP, g.N, w.k, w.n)
			}
		}
		for _, prefix := range []string{"", "/en"} {
			body := getPage(t, app, prefix+"/wilayah/"+code)
			for _, want := range []string{w.summary + ".", "<strong>" + w.site + "</strong>", fmt.Sprintf("%d / %d", w.k, w.n),
				fmt.Sprintf(`href="%s/wilayah/%s"`, prefix, w.learn)} {
				if !strings.Contains(body, want) {
					t.Errorf("page %s/wilayah/%s lacks the Model's %q", prefix, code, want)
				}
			}
		}
	}
}

func getJSON(t *testing.T, app *fiber.App, path string, v any) {
	t.Helper()
	res, body := appGet(t, app, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d: %s", path, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func getPage(t *testing.T, app *fiber.App, path string) string {
	t.Helper()
	res, body := appGet(t, app, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	return string(body)
}

func appGet(t *testing.T, app *fiber.App, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := app.Test(httptest.NewRequest(http.MethodGet, path, nil), -1)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}
