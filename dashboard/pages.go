package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/respond"
)

// Bundles (web/src): a page loads exactly one, the smallest that draws its charts — each carries
// ECharts' core. Maps only; maps and the progress line chart; everything (bar, scatter, legend).
const (
	bundleMap      = "dist/echarts-map.js"
	bundleProgress = "dist/echarts-progress.js"
	bundleCharts   = "dist/echarts-charts.js"
	// bundleSVG is loaded only when a reader asks for a chart as SVG (ECharts' SVG renderer).
	bundleSVG = "dist/echarts-svg.js"
)

// contentSecurityPolicy allows only our own host. ECharts sets inline style attributes, hence
// 'unsafe-inline' for styles (not scripts); the PNG download is a data: URL. Pages may be framed
// by our own pages only; /embed/* pages send embedCSP instead.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"

// embedCSP is the same policy except that any site may frame the page: that is what embeds are for.
const embedCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors *"

// page is what the shared layout (templates/layout.html) reads; every page view embeds it.
type page struct {
	M           *lang
	Title       string
	AsOf        string
	ImportedAt  string
	Datasets    []data.DatasetFile
	Bundle      string // which ECharts bundle the page loads; "" for none
	Preload     string // a map layer the page fetches: <link rel=preload>d so it loads with the bundle
	Canonical   string // this view's canonical path and query (the parameters the page reads)
	Switch      []langLink
	HomeURL     string
	MethodURL   string
	ProgressURL string
	FiscalURL   string
	BarriersURL string
	DigitalURL  string
	Embed       bool
	Share       share // Open Graph / Twitter card tags
}

// langLink is the same view in another language.
type langLink struct {
	Tag, Name, URL string
}

// request is what a page reads of its request: the path's :code (copied out of Fiber's buffers)
// and the canonical values of the query parameters it declares.
type request struct {
	Code  string
	Query map[string]string
}

// renderFunc builds a page's template name, view and HTTP status from a Model.
type renderFunc func(m *figures.Model, l *lang, req request, base page) (tmpl string, view any, status int)

// param is a query parameter a page reads. canon returns its canonical form, "" to ignore a
// value (as if absent), and bad for a value the page must answer with a 404.
type param struct {
	name  string
	canon func(m *figures.Model, v string) (canonical string, bad bool)
	// allowed lists the values a bad one is told about (a 400 page); nil: a bad value names
	// nothing that exists (a 404 page, as for an unknown code).
	allowed func(m *figures.Model) []string
}

var twoDigits = regexp.MustCompile(`^[0-9]{2}$`)

// provinceParam is ?province=CODE: a two-digit code, or a 404.
var provinceParam = param{name: "province", canon: func(_ *figures.Model, v string) (string, bool) {
	if v == "" {
		return "", false
	}
	return v, !twoDigits.MatchString(v)
}}

// asOfParam is the time slider's ?as_of=YYYY-MM-DD. The slider moves by month ends, so the
// canonical value is the month end of the date's month within the slider's range; at or past
// its last step (today) it is dropped. That keeps the page cache to one entry per slider step
// whatever dates links carry, and a malformed value is ignored.
var asOfParam = param{name: "as_of", canon: func(m *figures.Model, v string) (string, bool) {
	t, err := time.Parse("2006-01-02", v)
	if err != nil || len(v) != 10 {
		return "", false
	}
	end := m.Snap.DataAsOf
	first := time.Date(sliderStartYear, 1, 31, 0, 0, 0, 0, time.UTC)
	monthEnd := time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	last := time.Date(end.Year(), end.Month()+1, 0, 0, 0, 0, 0, time.UTC)
	switch {
	case end.IsZero() || !monthEnd.Before(last):
		return "", false
	case monthEnd.Before(first):
		monthEnd = first
	}
	return monthEnd.Format("2006-01-02"), false
}}

// renderedPage is a page rendered for one Model: encoded once, served until the Model changes.
type renderedPage struct {
	body   *respond.Body
	status int
}

// page returns the handler of one route in one language. The cache key is the language, the
// path and the canonical parameters the route reads: parameters it does not read (utm_*,
// fbclid, anything else a shared link carries) neither make a new entry nor change the body, so
// a link shared with a fresh tracking id costs what the plain page costs. Such parameters are
// ignored rather than redirected away: a redirect would cost a phone on a slow network a round
// trip before the first byte of the page. <link rel=canonical> names the clean URL.
func (h *Handler) page(l *lang, rt route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		m := h.src.Model()
		if m == nil {
			return errNotReady
		}
		req := request{Code: utils.CopyString(c.Params("code")), Query: map[string]string{}}
		var q []string
		for _, p := range rt.params {
			raw := string(c.Request().URI().QueryArgs().Peek(p.name))
			v, bad := p.canon(m, raw)
			if bad {
				return h.sendBadParam(c, m, l, rt, req, p, raw)
			}
			if v != "" {
				req.Query[p.name] = v
				q = append(q, p.name+"="+v)
			}
		}
		query := ""
		if len(q) > 0 {
			query = "?" + strings.Join(q, "&")
		}
		p, err := h.cached(m, l, rt, req, query)
		if err != nil {
			return err
		}
		return h.send(c, l, p)
	}
}

// cached renders a page once per Model under its canonical key (bounded: validated codes and
// canonical parameters). Other statuses than 200 are rendered per request, since a 404's code
// can be anything.
func (h *Handler) cached(m *figures.Model, l *lang, rt route, req request, query string) (renderedPage, error) {
	key := "page:" + l.Tag + ":" + rt.pathOf(l.Tag, req) + query
	// The long tail — a page per region or province, per factor and category, per slider
	// month — in the LRU, compressed fast (it is rebuilt when it falls out); the pages without
	// parameters in the memo, compressed at the best levels once per Model.
	tail := strings.Contains(rt.path, ":code") || query != ""
	build := func() (renderedPage, error) { return h.render(m, l, rt, req, query, tail) }
	var p renderedPage
	var err error
	if tail {
		p, err = h.pages.Get(m, key, build)
	} else {
		p, err = figures.Memo(m, key, build)
	}
	var u *uncached
	if errors.As(err, &u) {
		return u.page, nil
	}
	return p, err
}

// sendBadParam answers a query value the page cannot show: a 404 naming it (an unknown province
// code), or a 400 naming the parameter and its allowed values (an unknown factor). Either is the
// site's error page, rendered per request and never cached (the value can be anything).
func (h *Handler) sendBadParam(c *fiber.Ctx, m *figures.Model, l *lang, rt route, req request, p param, raw string) error {
	render := func(m *figures.Model, _ *lang, _ request, base page) (string, any, int) {
		return notFound(m, base, raw)
	}
	if p.allowed != nil {
		render = func(m *figures.Model, l *lang, _ request, base page) (string, any, int) {
			base = titled(base, l.T("error.bad_param_title"))
			base.Bundle = ""
			return "error.html", errorView{page: base, Status: fiber.StatusBadRequest, Heading: l.T("error.bad_param_title"),
				Text: l.T("error.bad_param", "Name", p.name, "Allowed", strings.Join(p.allowed(m), ", ")), Code: raw}, fiber.StatusBadRequest
		}
	}
	_, err := h.render(m, l, route{path: rt.path, local: rt.local, render: render}, req, "", true)
	var u *uncached
	if errors.As(err, &u) {
		return h.send(c, l, u.page)
	}
	return err
}

// uncached carries a rendered page that is not a 200: the memo forgets a failed build, so
// returning it as an error keeps it out of the cache.
type uncached struct{ page renderedPage }

func (u *uncached) Error() string { return "page not cached" }

// pathOf is the path of the route whose default path is p, in a language.
func (h *Handler) pathOf(p, tag string) string {
	for _, rt := range h.routes() {
		if rt.path == p {
			return rt.pathIn(tag)
		}
	}
	return p
}

// pathOf is the route's path in a language with the request's code filled in.
func (rt route) pathOf(tag string, req request) string {
	return strings.Replace(rt.pathIn(tag), ":code", req.Code, 1)
}

func (h *Handler) render(m *figures.Model, l *lang, rt route, req request, query string, fast bool) (renderedPage, error) {
	tmpl, view, status := rt.render(m, l, req, h.basePage(m, l, rt, req, query))
	enc := h.encode
	if fast || status != fiber.StatusOK {
		enc = h.encodeFast // error pages are rendered per request
	}
	p, err := enc(tmpl, view, status)
	if err != nil {
		return p, fmt.Errorf("render %s: %w", tmpl, err)
	}
	if status != fiber.StatusOK {
		return p, &uncached{p}
	}
	return p, nil
}

func (h *Handler) encode(tmpl string, view any, status int) (renderedPage, error) {
	return h.encodeWith(tmpl, view, status, h.comp.New)
}

// encodeFast is encode for pages built often: the long tail, and pages rendered per request.
func (h *Handler) encodeFast(tmpl string, view any, status int) (renderedPage, error) {
	return h.encodeWith(tmpl, view, status, respond.Fast)
}

func (h *Handler) encodeWith(tmpl string, view any, status int, compress func(string, []byte) (*respond.Body, error)) (renderedPage, error) {
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, tmpl, view); err != nil {
		return renderedPage{}, err
	}
	b, err := compress(fiber.MIMETextHTMLCharsetUTF8, buf.Bytes())
	if err != nil {
		return renderedPage{}, err
	}
	return renderedPage{body: b, status: status}, nil
}

// send writes a rendered page with its security headers.
func (h *Handler) send(c *fiber.Ctx, l *lang, p renderedPage) error {
	return h.sendCache(c, l, p, respond.CachePage)
}

// sendCache is send with another Cache-Control (no-store for a page that answers a form post).
func (h *Handler) sendCache(c *fiber.Ctx, l *lang, p renderedPage, cacheControl string) error {
	if strings.Contains(c.Path(), "/embed/") {
		c.Set(fiber.HeaderContentSecurityPolicy, embedCSP)
	} else {
		c.Set(fiber.HeaderContentSecurityPolicy, contentSecurityPolicy)
		c.Set(fiber.HeaderXFrameOptions, "SAMEORIGIN")
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentLanguage, l.Tag)
	c.Status(p.status)
	return respond.Serve(c, p.body, cacheControl)
}

// basePage fills the layout fields for a language and the route's canonical path and query;
// the language switch names the same view in every other language.
func (h *Handler) basePage(m *figures.Model, l *lang, rt route, req request, query string) page {
	p := page{
		M:           l,
		AsOf:        l.Day(m.Snap.DataAsOf),
		ImportedAt:  l.Day(m.Snap.ImportedAt),
		Datasets:    m.Snap.Datasets,
		Bundle:      bundleMap,
		Canonical:   l.path(rt.pathOf(l.Tag, req)) + query,
		HomeURL:     l.path("/"),
		MethodURL:   l.path("/metodologi"),
		ProgressURL: l.path("/progres"),
		FiscalURL:   l.path("/fiskal"),
		BarriersURL: l.path(h.pathOf("/hambatan", l.Tag)),
		DigitalURL:  l.path("/digital"),
	}
	for _, o := range h.langs {
		if o != l {
			p.Switch = append(p.Switch, langLink{Tag: o.Tag, Name: o.Name, URL: o.path(rt.pathOf(o.Tag, req)) + query})
		}
	}
	// Every page shares the national card unless its renderer names its own (province, region).
	return h.withShare(p, cardNational, nationalShareText(m, l))
}

// notFound is the HTML 404 page of an unknown region or province code: the error page, naming
// the code, with the search box and the link home.
func notFound(m *figures.Model, base page, code string) (string, any, int) {
	l := base.M
	base = titled(base, l.T("error.not_found_title"))
	base.Bundle = ""
	return "error.html", errorView{page: base, Status: fiber.StatusNotFound, Heading: l.T("error.not_found_title"),
		Text: l.T("error.not_found_code"), Code: code, SearchIndex: searchIndex(m, l)}, fiber.StatusNotFound
}

// nationalGeoURL is the GeoJSON layer every map draws (a province map filters it), so one
// download serves every page.
const nationalGeoURL = "/api/v1/regions.geojson?detail=national"

// withMap marks a page as drawing a map: the layout preloads the layer, which app.js fetches
// with the same URL and mode so the browser reuses the preloaded response.
func withMap(base page) page {
	base.Preload = nationalGeoURL
	return base
}

// titled sets a page's title with the site name.
func titled(base page, title string) page {
	base.Title = title + " · " + base.M.T("site.name")
	return base
}
