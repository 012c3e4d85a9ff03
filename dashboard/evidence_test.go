package dashboard

import "testing"

// Every evidence code of the reference data has a label in both languages; others pass through.
func TestEvidenceLabels(t *testing.T) {
	codes := []string{"confirmed_named", "no_source_found", "province_without_any_MPP", "local_news",
		"confirmed_by_province_total", "named_as_without_MPP", "covered_by_provincial_MPP"}
	for _, m := range []*lang{testLang(t, "id"), testLang(t, "en")} {
		for _, c := range codes {
			if l := m.evidence(c); l == c || l == "" {
				t.Errorf("%s: no label for %s", m.Tag, c)
			}
		}
		if got := m.evidence("<b>x</b>"); got != "<b>x</b>" {
			t.Errorf("%s: unknown code changed to %q", m.Tag, got)
		}
	}
	if got := testLang(t, "id").evidence("confirmed_named"); got != "Dikonfirmasi (disebut namanya)" {
		t.Errorf("id confirmed_named = %q", got)
	}
}
