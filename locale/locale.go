// Package locale owns every user-visible text of mppmap: one catalog file per language
// (catalog/<tag>.toml, embedded), read with go-i18n (CLDR plural rules, text/template
// placeholders), and the language's number and date formats (golang.org/x/text). Pure packages
// return Msg values — keys and numbers — and the surfaces format them here, so a sentence is
// written once per language and adding a language is adding a file.
package locale

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"mppmap/data/pdate"
)

//go:embed catalog/*.toml
var catalogFS embed.FS

// Default is the language of the site's unprefixed URLs and of anything without a language.
const Default = "id"

// Msg is a text by key with its arguments: what pure packages return instead of a sentence.
// Args are the template's placeholders; an argument may itself be a Msg, formatted first. An
// int argument named "Count" selects the plural form.
type Msg struct {
	Key  string
	Args map[string]any
}

// Pct is a percentage argument of a Msg (12.3 → "12,3%" in Indonesian, "12.3%" in English);
// Num a number argument (digit grouping, at most two decimals). Plain ints and floats are
// printed as they are (a year stays 2024).
type (
	Pct float64
	Num float64
)

// M builds a Msg from a key and name/value pairs: M("peers.text", "K", 2, "N", 5).
func M(key string, kv ...any) Msg {
	m := Msg{Key: key}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return m
}

// Catalog holds every language's texts.
type Catalog struct {
	langs map[string]*Lang
	tags  []string // Default first, then the others sorted
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) { return LoadFS(catalogFS, "catalog") }

// LoadFS reads every <tag>.toml in dir of fsys; the Default language must be among them.
func LoadFS(fsys fs.FS, dir string) (*Catalog, error) {
	files, err := fs.Glob(fsys, path.Join(dir, "*.toml"))
	if err != nil {
		return nil, fmt.Errorf("locale: %w", err)
	}
	bundle := i18n.NewBundle(language.Make(Default))
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{langs: map[string]*Lang{}}
	for _, f := range files {
		tag := strings.TrimSuffix(path.Base(f), ".toml")
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("locale: read %s: %w", f, err)
		}
		if _, err := bundle.ParseMessageFileBytes(b, f); err != nil {
			return nil, fmt.Errorf("locale: parse %s: %w", f, err)
		}
		t := language.Make(tag)
		c.langs[tag] = &Lang{Tag: tag, loc: i18n.NewLocalizer(bundle, tag), printer: message.NewPrinter(t)}
		c.tags = append(c.tags, tag)
	}
	if c.langs[Default] == nil {
		return nil, fmt.Errorf("locale: no catalog for the default language %q in %s", Default, dir)
	}
	sort.Slice(c.tags, func(i, j int) bool {
		if (c.tags[i] == Default) != (c.tags[j] == Default) {
			return c.tags[i] == Default
		}
		return c.tags[i] < c.tags[j]
	})
	return c, nil
}

// Tags lists the languages: the default first.
func (c *Catalog) Tags() []string { return append([]string(nil), c.tags...) }

// Lang returns a language's texts; ok is false for a language without a catalog.
func (c *Catalog) Lang(tag string) (*Lang, bool) {
	l, ok := c.langs[tag]
	return l, ok
}

// MustLang is Lang for tags known to exist (from Tags, or Default).
func (c *Catalog) MustLang(tag string) *Lang {
	l, ok := c.langs[tag]
	if !ok {
		panic("locale: no catalog for " + tag)
	}
	return l
}

// Lang formats texts, numbers and dates in one language. It is safe for concurrent use.
type Lang struct {
	Tag     string
	loc     *i18n.Localizer
	printer *message.Printer
}

// missing marks a key without a text, so a golden file or a reader sees it at once.
func missing(key string) string { return "⟦" + key + "⟧" }

// T is the text of key with name/value pairs as its placeholders.
func (l *Lang) T(key string, kv ...any) string { return l.Msg(M(key, kv...)) }

// Msg formats m, formatting Msg arguments first.
func (l *Lang) Msg(m Msg) string {
	var data map[string]any
	var count any
	if len(m.Args) > 0 {
		data = make(map[string]any, len(m.Args))
		for k, v := range m.Args {
			switch x := v.(type) {
			case Msg:
				v = l.Msg(x)
			case *Msg:
				v = l.Msg(*x)
			case Pct:
				v = l.Percent(float64(x))
			case Num:
				v = l.Number(float64(x))
			}
			data[k] = v
		}
		count = data["Count"]
	}
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: m.Key, TemplateData: data, PluralCount: count})
	if err != nil {
		var nf *i18n.MessageNotFoundErr
		if errors.As(err, &nf) || s == "" {
			return missing(m.Key)
		}
	}
	return s
}

// Has reports whether the language has a text for key.
func (l *Lang) Has(key string) bool {
	_, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: key})
	var nf *i18n.MessageNotFoundErr
	return !errors.As(err, &nf)
}

// Number writes x with up to two decimals (none from 1,000 on, where they are noise) and the
// language's digit grouping: 1.630.458.486.101 (id), 1,630,458,486,101 (en).
func (l *Lang) Number(x float64) string {
	prec := 2
	if x >= 1000 || x <= -1000 {
		prec = 0
	}
	return l.Decimal(x, prec)
}

// Decimal writes x with at most decimals decimals, trailing zeros dropped.
func (l *Lang) Decimal(x float64, decimals int) string {
	return l.printer.Sprint(number.Decimal(x, number.MaxFractionDigits(decimals)))
}

// Fixed writes x with exactly decimals decimals (a share "12,0%" keeps its zero).
func (l *Lang) Fixed(x float64, decimals int) string {
	return l.printer.Sprint(number.Decimal(x, number.MinFractionDigits(decimals), number.MaxFractionDigits(decimals)))
}

// Int writes n with digit grouping.
func (l *Lang) Int(n int) string { return l.printer.Sprint(number.Decimal(n)) }

// Percent writes a percentage that is already in percent (12.3 → "12,3%" / "12.3%").
func (l *Lang) Percent(pct float64) string { return l.T("format.percent", "Value", l.Fixed(pct, 1)) }

// Date writes a source date at the precision the source gave, never more: "31 Oktober 2023",
// "Agustus 2024", "2019", "paling lambat Mei 2022"; the zero date is the no-date mark.
func (l *Lang) Date(d pdate.Date) string {
	switch d.Precision {
	case pdate.Day:
		return l.T("date.day", "Day", d.Time.Day(), "Month", l.monthName(d.Time), "Year", d.Time.Year())
	case pdate.Month:
		return l.T("date.month", "Month", l.monthName(d.Time), "Year", d.Time.Year())
	case pdate.Year:
		return l.T("date.year", "Year", d.Time.Year())
	case pdate.Before:
		return l.T("date.before", "Date", l.Date(pdate.Date{Time: d.Time, Precision: d.BoundPrecision}))
	}
	return l.T("format.no_value")
}

// Day writes a timestamp as a calendar day; the zero time is the no-date mark.
func (l *Lang) Day(t time.Time) string {
	if t.IsZero() {
		return l.T("format.no_value")
	}
	return l.Date(pdate.Date{Time: t, Precision: pdate.Day})
}

// Month writes a computed date (an ETA) at month precision: more would be false precision.
func (l *Lang) Month(t time.Time) string {
	if t.IsZero() {
		return l.T("format.no_value")
	}
	return l.Date(pdate.Date{Time: time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), Precision: pdate.Month})
}

// MonthNames are the twelve month names, January first.
func (l *Lang) MonthNames() []string {
	out := make([]string, 12)
	for i := range out {
		out[i] = l.T(fmt.Sprintf("date.months.m%02d", i+1))
	}
	return out
}

func (l *Lang) monthName(t time.Time) string {
	return l.T(fmt.Sprintf("date.months.m%02d", int(t.Month())))
}
