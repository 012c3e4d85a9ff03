package dashboard

import (
	"encoding/json"
	"html/template"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/fiscal"
	"mppmap/peers"
	"mppmap/progress"
)

// Every page: HTML, escaped hostile name, both attributions, the as-of date, a visible
// language switch that keeps the path, and html lang.
func TestPages(t *testing.T) {
	app, _ := newTestApp(t)
	for _, tc := range []struct {
		path, lang, switchTo string
		want                 []string
	}{
		{"/", "id", "/en", []string{"Peringkat provinsi", `href="/provinsi/32"`, `id="search-index"`}},
		{"/en", "en", "/", []string{"Provinces ranked", `href="/en/provinsi/32"`, `href="/en/wilayah/32.71"`, "Has an MPP"}},
		{"/wilayah/91.01", "id", "/en/wilayah/91.01", []string{"&lt;img src=x onerror=alert(1)&gt;", "Belum ada MPP (bersumber)", "paling lambat 9 Mei 2022", `href="/provinsi/91"`}},
		{"/wilayah/32.01", "id", "/en/wilayah/32.01", []string{"Kabupaten Bogor", "31 Oktober 2023", "Provinsi yang sama: Jawa Barat", "0 / 1"}},
		{"/en/wilayah/32.71", "en", "/wilayah/32.71", []string{"Kota Bogor", "In preparation", "August 2024", `href="/en/wilayah/32.01"`}},
		{"/provinsi/91", "id", "/en/provinsi/91", []string{"Provinsi Papua", "&lt;img src=x onerror=alert(1)&gt;", "Peringkat 2 dari 2"}},
		{"/en/provinsi/32", "en", "/provinsi/32", []string{"Jawa Barat province", "Ranked 1 of 2"}},
		{"/metodologi", "id", "/en/metodologi", []string{"Dua penyebut", "Belum diketahui", "MPP status per kabupaten/kota"}},
		{"/en/metodologi", "en", "/metodologi", []string{"Two denominators", "never counted or drawn as"}},
		{"/embed/peta", "id", "/en/embed/peta", []string{`class="embed"`, `target="_blank"`}},
		{"/embed/progres", "id", "/en/embed/progres", []string{`class="embed"`, `target="_blank"`, `href="/progres"`, "Laju 12 bulan terakhir"}},
	} {
		res, body := get(t, app, tc.path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", tc.path, res.StatusCode)
			continue
		}
		want := append([]string{
			`<html lang="` + tc.lang + `">`,
			`class="lang-switch" href="` + tc.switchTo + `"`,
			"© 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), MIT",
		}, tc.want...)
		if strings.HasPrefix(tc.path, "/embed/") {
			want[1] = `hreflang="en" href="/en` + tc.path + `"`
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: page lacks %q", tc.path, w)
			}
		}
		if strings.Contains(body, "<img") {
			t.Errorf("GET %s: hostile name reached the page as markup", tc.path)
		}
		// Only the language switch and its <link rel=alternate> may leave the language.
		if strings.Count(body, `href="/wilayah/`) > 2 && tc.lang == "en" {
			t.Errorf("GET %s: an English page links an Indonesian region page", tc.path)
		}
	}
}

// The switch keeps the parameters the page reads; parameters it does not read (tracking ids on
// shared links) neither reach the page nor make a cache entry of their own.
func TestLanguageSwitchKeepsQuery(t *testing.T) {
	app, _ := newTestApp(t)
	_, body := get(t, app, "/progres?province=32&utm_source=wa")
	if !strings.Contains(body, `class="lang-switch" href="/en/progres?province=32"`) {
		t.Errorf("switch does not keep the page's own query, or keeps utm_source")
	}
	if !strings.Contains(body, `<link rel="canonical" href="/progres?province=32">`) {
		t.Errorf("no canonical link without the tracking parameter")
	}
	plain, _ := get(t, app, "/wilayah/32.01")
	for _, q := range []string{"?x=1", "?fbclid=abc", "?utm_source=1&utm_medium=2", "?gclid=%3Cb%3E"} {
		res, body := get(t, app, "/wilayah/32.01"+q)
		if res.Header.Get("ETag") != plain.Header.Get("ETag") || strings.Contains(body, "utm_") || strings.Contains(body, "fbclid") {
			t.Errorf("/wilayah/32.01%s: a parameter the page does not read changed it", q)
		}
	}
}

func TestUnknownCodeIsHTML404(t *testing.T) {
	app, _ := newTestApp(t)
	for _, p := range []string{"/wilayah/99.99", "/en/wilayah/nope", "/provinsi/00"} {
		res, body := get(t, app, p)
		if res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s = %d %s, want an HTML 404", p, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !strings.Contains(body, "© 2024 Cahya DSN") {
			t.Errorf("GET %s: 404 page lacks the footer", p)
		}
	}
	_, body := get(t, app, "/wilayah/%3Cscript%3E")
	if strings.Contains(body, "<script>") {
		t.Error("code echoed unescaped in the 404 page")
	}
}

func TestFramingOnlyForEmbeds(t *testing.T) {
	app, _ := newTestApp(t)
	for _, p := range []string{"/embed/peta", "/embed/progres", "/en/embed/progres"} {
		res, _ := get(t, app, p)
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors *") || res.Header.Get("X-Frame-Options") != "" {
			t.Errorf("%s: CSP %q, X-Frame-Options %q", p, csp, res.Header.Get("X-Frame-Options"))
		}
	}
	for _, p := range []string{"/", "/wilayah/32.01", "/metodologi", "/progres", "/fiskal"} {
		res, _ := get(t, app, p)
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || res.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("%s: CSP %q, X-Frame-Options %q", p, csp, res.Header.Get("X-Frame-Options"))
		}
	}
}

// The progress page shows progress.Build's figures (what /api/v1/progress publishes), and the
// fiscal page fiscal.Compute's groups, with "no data" as its own group.
func TestProgressAndFiscalFromPackages(t *testing.T) {
	app, h := newTestApp(t)
	snap := h.src.Model().Snap
	rep := progress.Build(snap, "")
	for _, lang := range []string{"", "/en"} {
		m := h.langOf(lang)
		_, body := get(t, app, lang+"/progres")
		for _, w := range rep.Paces {
			if w.PerMonth == nil {
				continue
			}
			if want := `<td class="num">` + m.Number(*w.PerMonth) + "</td>"; !strings.Contains(body, want) {
				t.Errorf("%s/progres lacks the %s pace %s", lang, w.Window, want)
			}
		}
		if !strings.Contains(body, m.T("progress.windows."+progress.WindowSince2022)) {
			t.Errorf("%s/progres lacks the pace windows", lang)
		}
		_, body = get(t, app, lang+"/fiskal")
		g := fiscal.Compute(snap)
		for _, k := range fiscal.Keys {
			if n := len(g.Members(snap, k)); !strings.Contains(body, `<tr data-group="`+k+`">`) || !strings.Contains(body, "(n="+strconv.Itoa(n)+")") {
				t.Errorf("%s/fiskal: group %s (n=%d) missing", lang, k, n)
			}
		}
		if strings.Contains(body, "<img") {
			t.Errorf("%s/fiskal: hostile name as markup", lang)
		}
	}
}

// The region page's indicator medians and ranks are package peers' — the API's region profile.
func TestRegionIndicatorsFromPeers(t *testing.T) {
	app, h := newTestApp(t)
	snap := h.src.Model().Snap
	ix := peers.NewIndex(snap)
	checked := 0
	for _, r := range snap.Regions {
		prof := ix.Profile(snap, r)
		_, body := get(t, app, "/en/wilayah/"+r.Code)
		m := h.langs[1]
		for _, g := range prof.Groups {
			if g.N == 0 {
				continue
			}
			for _, id := range peers.Indicators {
				if md := g.Medians[id]; md != nil {
					want := `<td class="num">` + m.Number(*md) + ` <span class="muted">(n=` + strconv.Itoa(g.Counts[id])
					if !strings.Contains(body, want) {
						t.Errorf("%s: %s median of %s missing (%s)", r.Code, g.Key, id, want)
					}
					checked++
				}
				if rk := g.Ranks[id]; rk != nil && !strings.Contains(body, m.T("peers.rank_of", "Position", rk.Position, "Of", rk.Of)) {
					t.Errorf("%s: %s rank of %s missing", r.Code, g.Key, id)
				}
			}
		}
	}
	if checked == 0 {
		t.Error("the test snapshot has no peer medians to compare")
	}
}

// Cached pages are keyed by a copy of the path: Fiber's c.Path() aliases a request buffer that
// later requests overwrite, and a key aliasing it once served one region's page for another.
func TestPageCacheServesEachPathItsOwnPage(t *testing.T) {
	app, h := newTestApp(t)
	snap := h.src.Model().Snap
	for round := 0; round < 50; round++ {
		for _, r := range snap.Regions {
			_, body := get(t, app, "/en/wilayah/"+r.Code)
			if want := "<h1>" + template.HTMLEscapeString(r.Name) + "</h1>"; !strings.Contains(body, want) {
				t.Fatalf("round %d: /en/wilayah/%s lacks %s: served another page", round, r.Code, want)
			}
		}
	}
}

// The map embed carries the time slider of / and passes a well-formed ?as_of= to its link back,
// and nothing else from the query.
func TestEmbedMapKeepsTheDate(t *testing.T) {
	app, _ := newTestApp(t)
	_, body := get(t, app, "/embed/peta?as_of=2019-12-31")
	for _, want := range []string{`<div class="time" data-map="status-map"`, `href="/?as_of=2019-12-31" target="_blank" rel="noopener" data-keep-query`} {
		if !strings.Contains(body, want) {
			t.Errorf("/embed/peta?as_of=2019-12-31 lacks %s", want)
		}
	}
	_, body = get(t, app, "/embed/peta?as_of=%3Cscript%3E&x=1")
	if !strings.Contains(body, `href="/" target="_blank" rel="noopener" data-keep-query`) {
		t.Error("a malformed as_of reached the link back")
	}
}

// A region's locator map shows its province and its land neighbours across the border, not
// the nearest regions of an island (they may be far away).
func TestLocatorMapShowsNeighboursAcrossTheBorder(t *testing.T) {
	s := *testSnapshot()
	s.Neighbours = map[string][]data.Neighbour{"32.01": {
		{Code: "32.71", Relation: data.RelationBorder, BorderKm: 40},
		{Code: "91.02", Relation: data.RelationBorder, BorderKm: 12},
		{Code: "91.01", Relation: data.RelationNearest, DistanceKm: 300},
	}}
	h, err := newHandler(fixedModel(data.NewSnapshot(s)), testCatalog(t), nil, testStatic(t))
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New()
	h.Register(app)
	_, body := get(t, app, "/wilayah/32.01")
	mm := regexp.MustCompile(`<script type="application/json" id="region-map-config">([^<]*)</script>`).FindStringSubmatch(body)
	if mm == nil {
		t.Fatal("no locator map config")
	}
	var cfg struct {
		Province string   `json:"province"`
		Extra    []string `json:"extra"`
		Option   struct {
			Series []struct {
				Data []struct {
					Name string `json:"name"`
				} `json:"data"`
			} `json:"series"`
		} `json:"option"`
	}
	if err := json.Unmarshal([]byte(mm[1]), &cfg); err != nil {
		t.Fatal(err)
	}
	var drawn []string
	for _, d := range cfg.Option.Series[0].Data {
		drawn = append(drawn, d.Name)
	}
	if cfg.Province != "32" || len(cfg.Extra) != 1 || cfg.Extra[0] != "91.02" || strings.Join(drawn, ",") != "32.01,32.71,91.02" {
		t.Errorf("locator map: province %q, extra %v, items %v; want 32, [91.02], 32.01,32.71,91.02", cfg.Province, cfg.Extra, drawn)
	}
}

// The fiscal map's items are the status map's (flattened into one JSON object) plus the group
// and PAD share the tooltip shows.
func TestFiscalMapItems(t *testing.T) {
	app, _ := newTestApp(t)
	_, body := get(t, app, "/en/fiskal")
	mm := regexp.MustCompile(`<script type="application/json" id="fiscal-map-config">([^<]*)</script>`).FindStringSubmatch(body)
	if mm == nil {
		t.Fatal("no fiscal map config")
	}
	var cfg struct {
		Option struct {
			Series []struct {
				Data []map[string]any `json:"data"`
			} `json:"series"`
		} `json:"option"`
	}
	if err := json.Unmarshal([]byte(mm[1]), &cfg); err != nil {
		t.Fatal(err)
	}
	items := cfg.Option.Series[0].Data
	if len(items) != 4 {
		t.Fatalf("%d items, want 4", len(items))
	}
	it := items[0]
	for _, k := range []string{"name", "value", "region", "province", "status", "statusLabel", "asOf", "group", "pad"} {
		if _, ok := it[k]; !ok {
			t.Errorf("item %v lacks %q", it, k)
		}
	}
	if it["name"] != "32.01" || it["region"] != "Kabupaten Bogor" || it["source"] != "example.org, November 2023" {
		t.Errorf("item = %v", it)
	}
}

// "Peers to learn from" lists the province's regions with an MPP, never the page's own region.
func TestLearnFromPeers(t *testing.T) {
	app, h := newTestApp(t)
	m := h.langs[0]
	section := func(body string) string {
		i := strings.Index(body, "<h3>"+m.T("peers.learn_from")+"</h3>")
		if i < 0 {
			t.Fatal("no learn-from section")
		}
		return body[i : i+strings.Index(body[i:], "</table>")+len("</table>")]
	}
	_, body := get(t, app, "/wilayah/32.71")
	if s := section(body); !strings.Contains(s, `href="/wilayah/32.01"`) {
		t.Errorf("Kota Bogor's page does not offer Kabupaten Bogor (has an MPP) to learn from:\n%s", s)
	}
	_, body = get(t, app, "/wilayah/32.01")
	i := strings.Index(body, "<h3>"+m.T("peers.learn_from")+"</h3>")
	if i < 0 || !strings.Contains(body[i:i+400], m.T("peers.learn_from_none")) {
		t.Error("Kabupaten Bogor's page lists itself (or another) to learn from")
	}
}
