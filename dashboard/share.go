package dashboard

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"github.com/paulmach/orb"

	"mppmap/data"
	"mppmap/figures"
	"mppmap/geo"
	"mppmap/respond"
	"mppmap/sharecard"
)

// share is what a page tells a chat app or a social network that unfurls its link (Open Graph
// and Twitter card tags): its title, a description with the headline figure and its as-of date,
// and the share card of its map.
type share struct {
	Description string
	Image       string // absolute when the public URL is configured, else site-absolute
	ImageAlt    string
	URL         string // the canonical URL, absolute when the public URL is configured
	Locale      string // og:locale, e.g. id_ID
}

// cardScope names a share card: the whole country, a province (its two-digit code) or a region
// (PP.KK). The route is /share/{lang}/{scope}.png.
const cardNational = "indonesia"

// shareURL is the address of a share card.
func (h *Handler) shareURL(l *lang, scope string) string {
	return h.publicURL + "/share/" + l.Tag + "/" + scope + ".png"
}

// withShare fills a page's share tags for a scope, with description desc (the page's headline
// sentence). og:title is the page's own title.
func (h *Handler) withShare(base page, scope, desc string) page {
	l := base.M
	base.Share = share{
		Description: desc,
		Image:       h.shareURL(l, scope),
		ImageAlt:    l.T("share.image_alt", "Text", desc),
		URL:         h.publicURL + base.Canonical,
		Locale:      l.T("meta.og_locale"),
	}
	return base
}

// nationalShareText is the headline sentence of the country: MPPs over every kab/kota (BSKDN's
// denominator, as the home page's first line) and the data's as-of day.
func nationalShareText(m *figures.Model, l *lang) string {
	sh := m.National.Shares[0]
	return l.T("share.national", "WithMPP", sh.WithMPP, "Total", sh.Units, "Share", l.sharePct(sh.Pct), "Date", l.Day(m.Snap.DataAsOf))
}

func provinceShareText(m *figures.Model, l *lang, p *figures.Province) string {
	return l.T("share.province", "Name", p.Name, "WithMPP", p.Counts[data.StatusYes], "Total", len(p.Regions),
		"Share", l.sharePct(p.StatusPct[data.StatusYes]), "Date", l.Day(m.Snap.DataAsOf))
}

func regionShareText(m *figures.Model, l *lang, r *figures.Region) string {
	if r.Status == data.StatusUnknown {
		return l.T("share.region_unknown", "Name", r.Name, "Date", l.Day(m.Snap.DataAsOf))
	}
	return l.T("share.region", "Name", r.Name, "Status", l.Msg(figures.StatusLabel(r.Status)), "AsOf", l.Date(r.StatusAsOf),
		"Date", l.Day(m.Snap.DataAsOf))
}

// cards renders files on demand — share cards and print-ready map SVGs — and keeps the most
// recent ones (figures.LRU): a card takes 50–90 ms and 100–170 KB, and there are
// 2 × (1 + 38 + 514) of each per snapshot, most never asked for. At most cardWorkers render at
// once: a crawler asking for every region must not take every core.
type cards struct {
	cache *figures.LRU[*respond.Body]
	sem   chan struct{}
}

const (
	cardCacheSize = 48
	cardWorkers   = 2
)

func newCards() *cards {
	return &cards{cache: figures.NewLRU[*respond.Body](cardCacheSize), sem: make(chan struct{}, cardWorkers)}
}

// get returns the body of key for m, rendering it with build when it is not cached.
func (cs *cards) get(m *figures.Model, key string, build func() (*respond.Body, error)) (*respond.Body, error) {
	return cs.cache.Get(m, key, func() (*respond.Body, error) {
		cs.sem <- struct{}{}
		defer func() { <-cs.sem }()
		return build()
	})
}

// pngCard renders a card as a PNG body.
func pngCard(card sharecard.Card) (*respond.Body, error) {
	png, err := sharecard.Render(card)
	if err != nil {
		return nil, err
	}
	return respond.Uncompressed("image/png", png), nil
}

// serveCard answers /share/:lang/:file — file is {scope}.png.
func (h *Handler) serveCard(c *fiber.Ctx) error {
	m := h.src.Model()
	if m == nil {
		return errNotReady
	}
	l := h.langTagged(c.Params("lang"))
	scope, ok := strings.CutSuffix(c.Params("file"), ".png")
	if l == nil || !ok {
		return fiber.ErrNotFound
	}
	scope = utils.CopyString(scope)
	var card func() sharecard.Card
	switch {
	case scope == cardNational:
		card = func() sharecard.Card { return h.nationalCard(m, l) }
	case twoDigits.MatchString(scope):
		p, ok := m.Province(scope)
		if !ok {
			return fiber.ErrNotFound
		}
		card = func() sharecard.Card { return h.provinceCard(m, l, p) }
	default:
		r, ok := m.Region(scope)
		if !ok {
			return fiber.ErrNotFound
		}
		card = func() sharecard.Card { return h.regionCard(m, l, r) }
	}
	body, err := h.cards.get(m, "png:"+l.Tag+":"+scope, func() (*respond.Body, error) { return pngCard(card()) })
	if err != nil {
		h.log.Error("share card", "scope", scope, "lang", l.Tag, "err", err)
		return fmt.Errorf("share card %s: %w", scope, err)
	}
	return respond.Serve(c, body, respond.CacheData)
}

// langTagged is the language of a tag, nil for none of ours.
func (h *Handler) langTagged(tag string) *lang {
	for _, o := range h.langs {
		if o.Tag == tag {
			return o
		}
	}
	return nil
}

// cardBase is what every card has: the legend of the four statuses, the data's as-of day and
// the attribution the boundaries' licence asks for.
func cardBase(m *figures.Model, l *lang, title, headline string) sharecard.Card {
	c := sharecard.Card{
		Title:       title,
		Headline:    headline,
		Subline:     l.T("share.subline", "Date", l.Day(m.Snap.DataAsOf)),
		Attribution: l.T("share.attribution"),
	}
	for _, st := range data.Statuses {
		c.Legend = append(c.Legend, sharecard.Legend{Fill: hexColor(statusStyles()[st].Color), Label: l.Msg(figures.StatusLabel(st))})
	}
	return c
}

func (h *Handler) nationalCard(m *figures.Model, l *lang) sharecard.Card {
	sh := m.National.Shares[0]
	c := cardBase(m, l, l.T("share.title_national"),
		l.T("share.headline", "WithMPP", sh.WithMPP, "Total", sh.Units, "Share", l.sharePct(sh.Pct)))
	c.Regions = cardRegions(m, m.Regions, geo.DetailNational, "")
	return c
}

func (h *Handler) provinceCard(m *figures.Model, l *lang, p *figures.Province) sharecard.Card {
	c := cardBase(m, l, l.T("share.title", "Name", l.T("province.title", "Name", p.Name)),
		l.T("share.headline", "WithMPP", p.Counts[data.StatusYes], "Total", len(p.Regions), "Share", l.sharePct(p.StatusPct[data.StatusYes])))
	c.Regions = cardRegions(m, p.Regions, geo.DetailProvince, "")
	return c
}

// regionCard shows the region outlined among its province and the regions across the border,
// fitted to the region and its bordering neighbours.
func (h *Handler) regionCard(m *figures.Model, l *lang, r *figures.Region) sharecard.Card {
	head := l.Msg(figures.StatusLabel(r.Status))
	if r.Status != data.StatusUnknown {
		head = l.T("share.region_headline", "Status", head, "AsOf", l.Date(r.StatusAsOf))
	}
	c := cardBase(m, l, l.T("share.title", "Name", r.Name+", "+r.ProvinceName), head)
	shown := append([]*figures.Region(nil), r.Province.Regions...)
	fit := []*figures.Region{r}
	for _, n := range r.Neighbours {
		if n.Relation == data.RelationBorder {
			fit = append(fit, n.Region)
			if n.ProvinceCode != r.ProvinceCode {
				shown = append(shown, n.Region)
			}
		}
	}
	c.Regions = cardRegions(m, shown, geo.DetailProvince, r.Code)
	geoms := m.Snap.Geometry[geo.DetailProvince]
	first := true
	for _, f := range fit {
		g, ok := geoms[f.Code]
		if !ok {
			continue
		}
		if first {
			c.Bounds, first = g.Bound(), false
		} else {
			c.Bounds = c.Bounds.Union(g.Bound())
		}
	}
	if !first {
		c.Bounds = padBound(c.Bounds, 0.15)
	}
	return c
}

// padBound widens b by frac of its size on every side, so the outlined region is not at the edge.
func padBound(b orb.Bound, frac float64) orb.Bound {
	dx, dy := (b.Max[0]-b.Min[0])*frac, (b.Max[1]-b.Min[1])*frac
	return orb.Bound{Min: orb.Point{b.Min[0] - dx, b.Min[1] - dy}, Max: orb.Point{b.Max[0] + dx, b.Max[1] + dy}}
}

func cardRegions(m *figures.Model, regions []*figures.Region, detail geo.Detail, focus string) []sharecard.Region {
	geoms := m.Snap.Geometry[detail]
	out := make([]sharecard.Region, 0, len(regions))
	for _, r := range regions {
		g, ok := geoms[r.Code]
		if !ok {
			continue
		}
		fill, _ := statusFill(r)
		out = append(out, sharecard.Region{Code: r.Code, Geom: g, Fill: hexColor(fill), Outline: r.Code == focus})
	}
	return out
}

// hexColor reads the palette's "#RRGGBB".
func hexColor(s string) color.Color {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	if err != nil || len(s) != 7 {
		return color.Gray{Y: 0xBB}
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xFF}
}
