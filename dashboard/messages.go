package dashboard

import (
	"strconv"
	"strings"

	"mppmap/data"
)

// messages holds every user-visible string of the dashboard in one language. Pages take their
// words from here only, so English (/en) is one more constructor, not a template fork.
type messages struct {
	Lang          string // BCP 47 tag for <html lang> and pdate.Format
	EChartsLocale string // locale registered in web/src (echarts.registerLocale)
	DecimalSep    string

	SiteName  string
	HomeTitle string
	HomeLead  string
	Statuses  map[data.Status]string

	HeadlineTitle    string
	DenominatorNote  string
	DataAsOf         string
	MapLabel         string
	MapLoading       string
	MapNoScript      string
	MapError         string
	MapHint          string
	TableSummary     string
	ColRegion        string
	ColProvince      string
	ColStatus        string
	ColAsOf          string
	NoDate           string
	TooltipProvince  string
	TooltipStatus    string
	TooltipAsOf      string
	AriaDescription  string // fmt: total, date, then one count per status in legend order
	SaveImageName    string
	FooterBoundaries string
	FooterData       string
	FooterImported   string
	FooterSources    string
}

// messagesID is Bahasa Indonesia, the default language.
func messagesID() *messages {
	return &messages{
		Lang:          "id",
		EChartsLocale: "ID",
		DecimalSep:    ",",
		SiteName:      "Peta MPP",
		HomeTitle:     "Peta Mal Pelayanan Publik (MPP) per kabupaten/kota",
		HomeLead:      "Status MPP di setiap kabupaten/kota di Indonesia, dengan sumber dan tanggalnya.",
		Statuses: map[data.Status]string{
			data.StatusYes:        "Sudah ada MPP",
			data.StatusInProgress: "Dalam persiapan",
			data.StatusNo:         "Belum ada MPP (bersumber)",
			data.StatusUnknown:    "Belum diketahui (belum ada sumber)",
		},
		HeadlineTitle:    "Ringkasan",
		DenominatorNote:  "Persentase memakai penyebut %d kabupaten/kota (BSKDN Kemendagri). KemenPANRB memakai penyebut lain: 508 kabupaten/kota otonom ditambah satu MPP provinsi DKI Jakarta.",
		DataAsOf:         "Data per",
		MapLabel:         "Peta status MPP per kabupaten/kota",
		MapLoading:       "Memuat peta…",
		MapNoScript:      "Peta memerlukan JavaScript. Tabel di bawah memuat data yang sama.",
		MapError:         "Peta gagal dimuat. Tabel di bawah memuat data yang sama.",
		MapHint:          "Klik wilayah untuk membuka halamannya. Klik legenda untuk menyembunyikan atau menampilkan satu status.",
		TableSummary:     "Tabel data peta (%d kabupaten/kota)",
		ColRegion:        "Kabupaten/kota",
		ColProvince:      "Provinsi",
		ColStatus:        "Status MPP",
		ColAsOf:          "Per tanggal",
		NoDate:           "—",
		TooltipProvince:  "Provinsi",
		TooltipStatus:    "Status",
		TooltipAsOf:      "Per",
		AriaDescription:  "Peta status Mal Pelayanan Publik di %d kabupaten/kota Indonesia, data per %s: %d sudah ada MPP, %d dalam persiapan, %d belum ada MPP menurut sumber, dan %d belum diketahui karena belum ada sumber. Tabel data di bawah peta memuat setiap wilayah.",
		SaveImageName:    "peta-status-mpp",
		FooterBoundaries: "Batas wilayah: © 2024 Cahya DSN (github.com/cahyadsn/wilayah_boundaries), lisensi MIT",
		FooterData:       "Status MPP dihimpun dari rilis KemenPANRB, Kemendagri dan berita; setiap wilayah mencantumkan sumbernya. Data per",
		FooterImported:   "diperbarui",
		FooterSources:    "Sumber data",
	}
}

// percent formats part/total as a percentage with one decimal in the language's notation.
func (m *messages) percent(part, total int) string {
	if total == 0 {
		return "–"
	}
	s := strconv.FormatFloat(100*float64(part)/float64(total), 'f', 1, 64)
	return strings.Replace(s, ".", m.DecimalSep, 1) + "%"
}
