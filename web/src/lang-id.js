// Indonesian locale for ECharts (registered as 'ID'), in the shape of echarts/lib/i18n/langEN.js.
// Written for mppmap: ECharts ships no Indonesian locale, and its toolbox and aria strings would
// otherwise fall back to English on a Bahasa Indonesia page.
export default {
  time: {
    month: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
    monthAbbr: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
    dayOfWeek: ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'],
    dayOfWeekAbbr: ['Min', 'Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab'],
  },
  legend: {
    selector: { all: 'Semua', inverse: 'Balik' },
  },
  toolbox: {
    brush: {
      title: {
        rect: 'Pilih kotak',
        polygon: 'Pilih laso',
        lineX: 'Pilih horizontal',
        lineY: 'Pilih vertikal',
        keep: 'Pertahankan pilihan',
        clear: 'Hapus pilihan',
      },
    },
    dataView: { title: 'Tampilan data', lang: ['Tampilan data', 'Tutup', 'Muat ulang'] },
    dataZoom: { title: { zoom: 'Perbesar', back: 'Atur ulang perbesaran' } },
    magicType: {
      title: { line: 'Ubah ke grafik garis', bar: 'Ubah ke grafik batang', stack: 'Tumpuk', tiled: 'Berdampingan' },
    },
    restore: { title: 'Pulihkan' },
    saveAsImage: { title: 'Simpan sebagai gambar', lang: ['Klik kanan untuk menyimpan gambar'] },
  },
  series: {
    typeNames: {
      pie: 'Diagram lingkaran',
      bar: 'Diagram batang',
      line: 'Grafik garis',
      scatter: 'Diagram pencar',
      effectScatter: 'Diagram pencar beriak',
      radar: 'Diagram radar',
      tree: 'Pohon',
      treemap: 'Peta pohon',
      boxplot: 'Diagram kotak',
      candlestick: 'Diagram lilin',
      k: 'Grafik K',
      heatmap: 'Peta panas',
      map: 'Peta',
      parallel: 'Peta koordinat paralel',
      lines: 'Grafik garis',
      graph: 'Grafik relasi',
      sankey: 'Diagram Sankey',
      funnel: 'Diagram corong',
      gauge: 'Meteran',
      pictorialBar: 'Batang bergambar',
      themeRiver: 'Peta aliran tema',
      sunburst: 'Diagram sunburst',
      custom: 'Grafik khusus',
      chart: 'Grafik',
    },
  },
  aria: {
    general: {
      withTitle: 'Ini adalah grafik tentang "{title}"',
      withoutTitle: 'Ini adalah grafik',
    },
    series: {
      single: {
        prefix: '',
        withName: ' dengan jenis {seriesType} bernama {seriesName}.',
        withoutName: ' dengan jenis {seriesType}.',
      },
      multiple: {
        prefix: '. Grafik ini terdiri dari {seriesCount} seri.',
        withName: ' Seri ke-{seriesId} adalah {seriesType} yang menggambarkan {seriesName}.',
        withoutName: ' Seri ke-{seriesId} adalah {seriesType}.',
        separator: { middle: '', end: '' },
      },
    },
    data: {
      allData: 'Datanya sebagai berikut: ',
      partialData: '{displayCnt} butir pertama adalah: ',
      withName: 'data untuk {name} adalah {value}',
      withoutName: '{value}',
      separator: { middle: ', ', end: '. ' },
    },
  },
};
