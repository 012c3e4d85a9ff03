package dashboard

// evidenceLabels names the evidence codes of the reference data (mpp_status_by_region.csv,
// mpp_locations.csv, the status history) for people. A code not listed is shown as it is.
func evidenceLabels(lang string) map[string]string {
	if lang == "en" {
		return map[string]string{
			"confirmed_named":             "Confirmed (named)",
			"confirmed_by_province_total": "Confirmed by the province's total",
			"covered_by_provincial_MPP":   "Covered by the provincial MPP",
			"local_news":                  "Local news",
			"named_as_without_MPP":        "Named as without an MPP",
			"province_without_any_MPP":    "Province without any MPP",
			"no_source_found":             "No source found",
		}
	}
	return map[string]string{
		"confirmed_named":             "Dikonfirmasi (disebut namanya)",
		"confirmed_by_province_total": "Dikonfirmasi dari jumlah provinsi",
		"covered_by_provincial_MPP":   "Dilayani MPP provinsi",
		"local_news":                  "Berita lokal",
		"named_as_without_MPP":        "Disebut belum memiliki MPP",
		"province_without_any_MPP":    "Provinsi tanpa MPP sama sekali",
		"no_source_found":             "Tidak ditemukan sumber",
	}
}

// evidence is the label of an evidence code in the page's language, or the code itself.
func (m *messages) evidence(code string) string {
	if l, ok := m.Evidence[code]; ok {
		return l
	}
	return code
}
