package locale

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"mppmap/data/pdate"
)

// flatten turns a catalog file into key → plural form → text, as go-i18n reads it: nested
// tables join with ".", and a table whose keys are all plural forms is one message.
func flatten(t *testing.T, prefix string, v map[string]any, out map[string]map[string]string) {
	t.Helper()
	forms := map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}
	for k, x := range v {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch y := x.(type) {
		case string:
			out[key] = map[string]string{"other": y}
		case map[string]any:
			plural := len(y) > 0
			for f := range y {
				plural = plural && forms[f]
			}
			if plural {
				out[key] = map[string]string{}
				for f, s := range y {
					out[key][f] = s.(string)
				}
				continue
			}
			flatten(t, key, y, out)
		default:
			t.Fatalf("%s: unexpected %T", key, x)
		}
	}
}

var placeholderRE = regexp.MustCompile(`\{\{\s*\.([A-Za-z0-9_]+)\s*\}\}`)

func placeholders(s string) string {
	set := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		set[m[1]] = true
	}
	var names []string
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func catalogs(t *testing.T) map[string]map[string]map[string]string {
	t.Helper()
	files, err := fs.Glob(catalogFS, "catalog/*.toml")
	if err != nil || len(files) < 2 {
		t.Fatalf("catalogs: %v %v", files, err)
	}
	out := map[string]map[string]map[string]string{}
	for _, f := range files {
		b, err := fs.ReadFile(catalogFS, f)
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		if err := toml.Unmarshal(b, &raw); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		msgs := map[string]map[string]string{}
		flatten(t, "", raw, msgs)
		out[strings.TrimSuffix(path.Base(f), ".toml")] = msgs
	}
	return out
}

// TestCatalogsComplete: every key of every catalog is in every other one, with the same
// placeholders in every plural form, and no text is empty.
func TestCatalogsComplete(t *testing.T) {
	cats := catalogs(t)
	base := cats[Default]
	if len(base) < 100 {
		t.Fatalf("default catalog has %d keys", len(base))
	}
	for tag, msgs := range cats {
		for key, forms := range base {
			other, ok := msgs[key]
			if !ok {
				t.Errorf("%s.toml lacks %q", tag, key)
				continue
			}
			want := placeholders(forms["other"])
			for f, s := range other {
				if strings.TrimSpace(s) == "" {
					t.Errorf("%s.toml %q (%s) is empty", tag, key, f)
				}
				if got := placeholders(s); got != want {
					t.Errorf("%s.toml %q (%s): placeholders {%s}, %s.toml has {%s}", tag, key, f, got, Default, want)
				}
			}
		}
		for key := range msgs {
			if _, ok := base[key]; !ok {
				t.Errorf("%s.toml has %q, which %s.toml lacks", tag, key, Default)
			}
		}
	}
}

func TestLoadAndFormat(t *testing.T) {
	c, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if tags := c.Tags(); len(tags) < 2 || tags[0] != Default {
		t.Fatalf("tags %v", tags)
	}
	id, en := c.MustLang("id"), c.MustLang("en")
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"text with placeholder", id.T("province.title", "Name", "Aceh"), "Provinsi Aceh"},
		{"en", en.T("province.title", "Name", "Aceh"), "Aceh province"},
		{"nested msg", en.Msg(M("summary.alone", "First", M("summary.first.no", "Name", "X"))), "X has no MPP yet."},
		{"missing key is marked", id.T("no.such.key"), "⟦no.such.key⟧"},
		{"number id", id.Number(1630458486101), "1.630.458.486.101"},
		{"number en", en.Number(1630458486101), "1,630,458,486,101"},
		{"decimals id", id.Number(12.5), "12,5"},
		{"trailing zeros dropped", en.Number(12.0), "12"},
		{"percent keeps one decimal", id.Percent(12), "12,0%"},
		{"percent en", en.Percent(33.3), "33.3%"},
		{"day id", id.Date(pdate.MustParse("2023-10-31")), "31 Oktober 2023"},
		{"month en", en.Date(pdate.MustParse("2024-08")), "August 2024"},
		{"year", id.Date(pdate.MustParse("2019")), "2019"},
		{"before id", id.Date(pdate.MustParse("<=2022-05")), "paling lambat Mei 2022"},
		{"before en", en.Date(pdate.MustParse("<=2022-05-09")), "by 9 May 2022"},
		{"no date", id.Date(pdate.Date{}), "—"},
		{"day of a time", en.Day(time.Date(2025, 12, 15, 13, 0, 0, 0, time.UTC)), "15 December 2025"},
		{"month of a time", id.Month(time.Date(2031, 7, 20, 0, 0, 0, 0, time.UTC)), "Juli 2031"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	if n := id.MonthNames(); len(n) != 12 || n[0] != "Januari" || n[11] != "Desember" {
		t.Errorf("month names %v", n)
	}
	if !en.Has("site.name") || en.Has("no.such.key") {
		t.Error("Has")
	}
}

func ExampleLang_T() {
	c, _ := Load()
	fmt.Println(c.MustLang("id").T("peers.text", "K", 7, "N", 9))
	fmt.Println(c.MustLang("en").T("peers.text", "K", 7, "N", 9))
	// Output:
	// 7 dari 9 memiliki MPP
	// 7 of 9 have an MPP
}
