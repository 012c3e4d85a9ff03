package manage

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"mppmap/data"
	"mppmap/figures"
)

// The form widgets shared by the status, site and source forms: each is built in Go as a value
// its template ("date", "evidence", "sources" in templates/fields.html) only prints.

// option is one choice of a select or a checkbox list.
type option struct {
	Value, Label string
	Selected     bool
}

// dateField is the "date" widget: day, month, year and, where a source may say only "by",
// the at-the-latest box.
type dateField struct {
	M       *lang
	ID      string // the element id prefix, unique on the page
	Name    string // the fields' name prefix
	Label   string
	Help    string
	P       dateParts
	Months  []option
	Before  bool // offer "at the latest"
	Problem string
}

func newDateField(l *lang, id, name, labelKey, helpKey string, p dateParts, before bool, problem string) dateField {
	f := dateField{M: l, ID: id, Name: name, Label: l.T(labelKey), P: p, Before: before, Problem: problem}
	if helpKey != "" {
		f.Help = l.T(helpKey)
	}
	f.Months = append(f.Months, option{Value: "", Label: l.T("manage.date.no_month"), Selected: p.Month == ""})
	for i, name := range l.MonthNames() {
		v := strconv.Itoa(i + 1)
		f.Months = append(f.Months, option{Value: v, Label: name, Selected: strings.TrimLeft(p.Month, "0") == v})
	}
	return f
}

// otherEvidence is the select's value for "another value, typed below".
const otherEvidence = "__other"

// evidenceField is the "evidence" widget: the values in use, or another one typed in.
type evidenceField struct {
	M       *lang
	ID      string
	Options []option
	Other   string // the typed value when none of the options is chosen
	IsOther bool
	Problem string
}

// evidenceValues are the evidence values the read model uses, most used first: of the
// regions' statuses (sites false) or of the MPP sites (sites true).
func evidenceValues(m *figures.Model, sites bool) []string {
	n := map[string]int{}
	if sites {
		for _, s := range m.Snap.Sites {
			if s.Evidence != "" {
				n[s.Evidence]++
			}
		}
	} else {
		for _, r := range m.Regions {
			if r.Evidence != "" {
				n[r.Evidence]++
			}
		}
	}
	out := make([]string, 0, len(n))
	for v := range n {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool {
		if n[out[i]] != n[out[j]] {
			return n[out[i]] > n[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// evidenceLabel is a value with its catalog label where it has one.
func evidenceLabel(l *lang, v string) string {
	if l.Has("evidence." + v) {
		return l.T("evidence."+v) + " — " + v
	}
	return v
}

// newEvidenceField offers values; chosen is the form's select value, other its typed one.
func newEvidenceField(l *lang, id string, values []string, chosen, other, problem string) evidenceField {
	f := evidenceField{M: l, ID: id, Problem: problem}
	if chosen == "" && other == "" {
		// Nothing chosen (a new site): say so rather than preselect the first value.
		f.Options = append(f.Options, option{Value: "", Label: l.T("manage.field.evidence_pick"), Selected: true})
	}
	known := false
	for _, v := range values {
		sel := v == chosen
		known = known || sel
		f.Options = append(f.Options, option{Value: v, Label: evidenceLabel(l, v), Selected: sel})
	}
	if !known && chosen != "" && chosen != otherEvidence {
		// A value in the row that no other row uses: typed in.
		other = chosen
	}
	f.IsOther = !known && (chosen != "" || other != "")
	f.Other = other
	f.Options = append(f.Options, option{Value: otherEvidence, Label: l.T("manage.field.evidence_other_option"), Selected: f.IsOther})
	return f
}

// evidenceOf is the evidence a form gives: the chosen value, or the typed one.
func evidenceOf(chosen, other string) string {
	if chosen == otherEvidence || chosen == "" {
		return strings.TrimSpace(other)
	}
	return chosen
}

// sourceOption is one source offered as a checkbox.
type sourceOption struct {
	ID, Title, Address string
	Checked            bool
}

// sourcesField is the "sources" widget: checkboxes of the sources at hand, and an id field for
// any other.
type sourcesField struct {
	M       *lang
	ID      string
	Options []sourceOption
	More    string
	Problem string
}

// newSourcesField offers the sources in offered (ids, S2 before S10) with their titles from m,
// titles naming sources m does not know yet (one just added), checking those in checked.
func newSourcesField(l *lang, m *figures.Model, id string, offered, checked []string, titles map[string]string, more, problem string) sourcesField {
	f := sourcesField{M: l, ID: id, More: more, Problem: problem}
	on := map[string]bool{}
	for _, s := range checked {
		on[s] = true
	}
	for _, s := range figures.SortedSources(offered, checked) {
		o := sourceOption{ID: s, Checked: on[s]}
		if src, ok := m.Source(s); ok {
			o.Title, o.Address = src.Description, src.Address
		} else if t, ok := titles[s]; ok {
			o.Title = t
		} else {
			o.Title = l.T("manage.field.source_unknown")
		}
		f.Options = append(f.Options, o)
	}
	return f
}

var idSeparators = regexp.MustCompile(`[\s,;]+`)

// sourceIDsOf are the ids a form gives: the boxes ticked, then those typed (separated by
// spaces, commas or semicolons), each once, in that order.
func sourceIDsOf(checked []string, more string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range checked {
		add(s)
	}
	for _, s := range idSeparators.Split(more, -1) {
		add(strings.ToUpper(s[:min(1, len(s))]) + s[min(1, len(s)):])
	}
	return out
}

// statusOptions are the four statuses in legend order, chosen selected.
func statusOptions(l *lang, chosen string) []option {
	var out []option
	for _, st := range data.Statuses {
		out = append(out, option{Value: string(st), Label: l.T(figures.StatusKey(st)), Selected: string(st) == chosen})
	}
	return out
}

// statusClass is a status's swatch class in the public stylesheet.
func statusClass(st data.Status) string {
	switch st {
	case data.StatusYes:
		return "st-yes"
	case data.StatusInProgress:
		return "st-progress"
	case data.StatusNo:
		return "st-no"
	}
	return "st-unknown"
}

// int64Field is an integer form field; ok is false for anything else.
func int64Field(c *fiber.Ctx, name string) (int64, bool) {
	v, err := strconv.ParseInt(strings.TrimSpace(formValue(c, name)), 10, 64)
	return v, err == nil && v >= 0
}
