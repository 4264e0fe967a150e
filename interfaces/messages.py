"""Indonesian for the messages people see in the web pages.

Domain and schema messages are English (the API's language); the web shows them in Bahasa
Indonesia. Each entry is a regular expression over a whole English message and its Indonesian
template ({0}, {1}, … are the groups). A numbered group is kept as it is (a NIK, a date, an
amount, a code); a named group ``(?P<name>…)`` holds an English word of the programme (a claim
status, a step, a field) and is put into Indonesian through ``TERMS`` first.

Every message raised in ``domain/``, ``application/`` and ``projections/`` and every message of
the schemas must match exactly one entry: ``tests/unit/test_messages.py`` checks it.
"""

import re

# Pieces of the patterns below.
_RT = r"(\d{2}\.\d{2}\.\d{2}\.\d{4}/RT-\d{3})"  # an RT code: 15.71.01.1001/RT-005
_NIK = r"(\d{16})"
_DATE = r"(\d{4}-\d{2}-\d{2})"
_UUID = r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
_AMOUNT = r"(\d+)"
_REPR = r"""('.*'|".*")"""  # a value shown with !r
_CODES = r"([a-z_0-9]+(?:, [a-z_0-9]+)*)"  # a list of codes: "resident, ketua_rt"
_FIELD = r"(?P<field>[a-z]+(?: [a-z]+)?)"  # a field name with spaces for underscores

CATALOGUE: tuple[tuple[str, str], ...] = (
    # --- marshmallow (fields, validators, schemas) ----------------------------------------
    (r"Missing data for required field\.", "Wajib diisi."),
    (r"Field may not be null\.", "Tidak boleh kosong."),
    (r"Invalid value\.", "Isian tidak sah."),
    (r"Invalid type\.", "Jenis data tidak sah."),
    (r"Invalid input type\.", "Jenis masukan tidak sah."),
    (r"Unknown field\.", "Kolom ini tidak dikenal."),
    (r"Not a valid string\.", "Harus berupa teks."),
    (r"Not a valid utf-8 string\.", "Teks tidak sah (bukan UTF-8)."),
    (r"Not a valid integer\.", "Harus berupa bilangan bulat."),
    (r"Number too large\.", "Angka terlalu besar."),
    (r"Not a valid boolean\.", "Harus berupa ya atau tidak."),
    (r"Not a valid date\.", "Tanggal tidak sah."),
    (r"Not a valid datetime\.", "Tanggal dan jam tidak sah."),
    (r"Not a valid UUID\.", "Pengenal (UUID) tidak sah."),
    (r"Not a valid list\.", "Harus berupa daftar."),
    (r"Length must be between (\d+) and (\d+)\.", "Panjang isian harus antara {0} dan {1}."),
    (r"Shorter than minimum length (\d+)\.", "Panjang isian paling sedikit {0}."),
    (r"Longer than maximum length (\d+)\.", "Panjang isian paling banyak {0}."),
    (r"Length must be (\d+)\.", "Panjang isian harus {0}."),
    (r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.", "Nilai harus antara {0} dan {1}."),
    (r"Must be (?P<op>greater than(?: or equal to)?) (\S+)\.", "Nilai harus {0} {1}."),
    (r"Must be (?P<op>less than(?: or equal to)?) (\S+)\.", "Nilai harus {0} {1}."),
    (r"Must be one of: (.+)\.", "Harus salah satu dari: {0}."),
    (r"String does not match expected pattern\.", "Format isian tidak sesuai."),
    # --- our schemas ----------------------------------------------------------------------
    (r"The end date is before the start date\.", "Tanggal selesai lebih awal dari tanggal mulai."),
    (r"Must be between (\d{4}-\d{2}-\d{2}) \(when the programme began\) and (\d{4}-\d{2}-\d{2})\.",
     "Harus antara {0} (awal program) dan {1}."),
    (r"Must be between (\d{4}-\d{2}-\d{2}) and (\d{4}-\d{2}-\d{2})\.", "Harus antara {0} dan {1}."),
    (r"No participant rows\.", "Belum ada baris peserta."),
    (r"At most (\d+) rows at once\.", "Paling banyak {0} baris sekaligus."),
    (r"Expected (\d+) columns \(NIK,nama,peran\), found (\d+)\.",
     "Baris harus berisi {0} kolom (NIK,nama,peran), tetapi berisi {1}."),
    (r"Same NIK as row (\d+)\.", "NIK sama dengan baris {0}."),
    # --- values: NIK, amounts, dates, free text (domain) -------------------------------------
    (r"NIK must be exactly 16 digits", "NIK harus tepat 16 angka."),
    (r"NIK region code (\d{2}) is not a known province", "Kode wilayah NIK {0} bukan kode provinsi yang dikenal."),
    (r"NIK regency and district codes cannot be 00", "Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00."),
    (r"NIK birth date (\d{6}) is not a calendar date", "Tanggal lahir pada NIK ({0}) bukan tanggal yang sah."),
    (r"NIK serial number cannot be 0000", "Nomor urut NIK tidak boleh 0000."),
    (r"amount must be given as an integer or a string of digits, not a float",
     "Jumlah harus berupa bilangan bulat atau angka saja, bukan pecahan (float)."),
    (rf"{_REPR} is not an amount of rupiah", "{0} bukan jumlah rupiah yang sah."),
    (r"amount must be a finite number", "Jumlah harus berupa angka terhingga."),
    (r"amount must be whole rupiah", "Jumlah harus dalam rupiah penuh, tanpa sen."),
    (r"amount must be more than zero", "Jumlah harus lebih dari nol."),
    (r"amount cannot be negative", "Jumlah tidak boleh negatif."),
    (r"amount is implausibly large", "Jumlah terlalu besar; periksa kembali angkanya."),
    (r"a date-time with a time zone is required", "Tanggal dan jam harus disertai zona waktu."),
    (r"a period needs a start and an end date", "Periode memerlukan tanggal mulai dan tanggal selesai."),
    (r"the period ends before it starts", "Tanggal selesai periode lebih awal dari tanggal mulainya."),
    (rf"{_FIELD} is required", "Kolom {0} wajib diisi."),
    (rf"{_FIELD} must be between {_DATE} and {_DATE}", "Kolom {0} harus antara {1} dan {2}."),
    (rf"{_FIELD} contains a control character \(U\+([0-9A-F]{{4}})\)",
     "Kolom {0} berisi karakter kendali (U+{1}); hapus karakter itu lalu kirim lagi."),
    (rf"{_FIELD} contains an unpaired surrogate \(U\+([0-9A-F]{{4}})\)",
     "Kolom {0} berisi karakter yang rusak (surrogate U+{1}); ketik ulang teksnya."),
    (rf"{_FIELD} is longer than (\d+) characters", "Kolom {0} paling banyak {1} karakter."),
    (r"actor user id must be 1–64 printable characters", "ID pengguna harus 1–64 karakter yang dapat ditampilkan."),
    (r"only a Ketua RT acts for an RT", "Hanya Ketua RT yang bertindak atas nama sebuah RT."),
    # --- who may do what (application/authorization.py, interfaces/access.py) ---------------
    (r"a Ketua RT without an RT may not act for any RT", "Ketua RT tanpa RT tidak dapat bertindak untuk RT mana pun."),
    (r"a Ketua RT may act only for their own RT", "Ketua RT hanya dapat bertindak untuk RT-nya sendiri."),
    (r"your role may not use this", "Peran Anda tidak diizinkan membuka atau mengubah ini."),
    (rf"unknown role (.+); one of {_CODES}", "Peran {0} tidak dikenal; pilih salah satu dari: {1}."),
    # --- RT -------------------------------------------------------------------------------
    (r"kelurahan code must look like 15\.71\.01\.1001", "Kode kelurahan harus berformat seperti 15.71.01.1001."),
    (r"RT number must be between (\d+) and (\d+)", "Nomor RT harus antara {0} dan {1}."),
    (r"phone must be 8–15 digits, optionally starting with \+", "Nomor telepon harus 8–15 angka, boleh diawali +."),
    (rf"(.+) is already the Ketua RT of {_RT}", "{0} sudah menjadi Ketua RT {1}."),
    (rf"the new Ketua RT's appointment date {_DATE} is before the current Ketua RT's \({_DATE}\)",
     "Tanggal pengangkatan Ketua RT baru ({0}) tidak boleh lebih awal dari pengangkatan Ketua RT saat ini ({1})."),
    (rf"{_RT} has no Ketua RT yet", "{0} belum memiliki Ketua RT."),
    (rf"only the current Ketua RT of {_RT} \((.+)\) may issue a task letter",
     "Hanya Ketua RT {0} yang sedang menjabat ({1}) yang dapat menerbitkan surat tugas."),
    (rf"phase must be one of {_CODES}", "Tahap harus salah satu dari: {0}."),
    (rf"{_RT} is already enrolled \((?P<phase>[a-z_]+)\) from {_DATE}",
     "{0} sudah terdaftar dalam program (tahap {1}) sejak {2}."),
    (rf"{_RT} must be enrolled in the programme before its musyawarah",
     "{0} harus terdaftar dalam program sebelum mengadakan musyawarah."),
    (r"the musyawarah must agree at least one development priority",
     "Musyawarah harus menyepakati paling sedikit satu prioritas pembangunan."),
    (r"at most (\d+) priorities", "Paling banyak {0} prioritas."),
    (rf"a musyawarah on {_DATE} is already recorded for {_RT}", "Musyawarah tanggal {0} sudah tercatat untuk {1}."),
    (rf"{_RT} was already launched on {_DATE}", "{0} sudah diluncurkan pada {1}."),
    (rf"{_RT} needs a Ketua RT before it is launched", "{0} harus memiliki Ketua RT sebelum diluncurkan."),
    (rf"{_RT} cannot be launched before it is enrolled in the programme",
     "{0} tidak dapat diluncurkan sebelum terdaftar dalam program."),
    (rf"{_RT} can be launched only after its musyawarah has been held",
     "{0} baru dapat diluncurkan setelah musyawarah diadakan."),
    (rf"{_REPR} is not a kelurahan of Kota Jambi", "{0} bukan kelurahan di Kota Jambi."),
    # --- activity: task letters, participants, premium -------------------------------------
    (rf"kind must be one of {_CODES}", "Jenis harus salah satu dari: {0}."),
    (rf"{_RT} is not enrolled in the programme", "{0} belum terdaftar dalam program."),
    (r"the activity is (?P<status>[a-z_]+): cannot (?P<doing>.+)", "Kegiatan sudah {0}; tidak dapat {1}."),
    (r"the RT given is not this activity's RT", "RT tersebut bukan RT pelaksana kegiatan ini."),
    (rf"{_RT} has not been launched: no task letter before the launch",
     "{0} belum diluncurkan; surat tugas baru dapat diterbitkan setelah peluncuran."),
    (r"a task letter cannot be dated in the future", "Tanggal surat tugas tidak boleh melewati hari ini."),
    (rf"the letter is dated before {_RT} was launched \({_DATE}\)",
     "Tanggal surat tugas lebih awal dari peluncuran {0} ({1})."),
    (r"cover cannot start before the letter is issued \(no backdated cover\)",
     "Masa perlindungan tidak boleh dimulai sebelum tanggal surat tugas (tidak berlaku surut)."),
    (r"a cover period is at most (\d+) days", "Masa perlindungan paling lama {0} hari."),
    (r"task letter (.+) is already recorded for this activity", "Surat tugas {0} sudah tercatat untuk kegiatan ini."),
    (rf"role must be one of {_CODES}", "Peran harus salah satu dari: {0}."),
    (rf"NIK {_NIK} is already a participant of this activity", "NIK {0} sudah terdaftar sebagai peserta kegiatan ini."),
    (rf"NIK {_NIK} is not a current participant of this activity", "NIK {0} bukan peserta aktif kegiatan ini."),
    (rf"NIK {_NIK} is not a participant of this activity", "NIK {0} bukan peserta kegiatan ini."),
    (r"(.+) joined after the incident", "{0} baru bergabung setelah kejadian."),
    (r"(.+) had withdrawn before the incident", "{0} sudah mengundurkan diri sebelum kejadian."),
    (r"the activity had been cancelled before the incident", "Kegiatan sudah dibatalkan sebelum kejadian."),
    (rf"no task letter of this activity covers {_DATE}",
     "Tidak ada surat tugas kegiatan ini yang berlaku pada tanggal {0}."),
    (r"the premium must be assessed on the activity's current value",
     "Iuran harus dihitung dari nilai kegiatan saat ini."),
    (r"no premium has been assessed for this activity", "Iuran untuk kegiatan ini belum dihitung."),
    (r"a payment cannot be dated in the future", "Tanggal pembayaran tidak boleh melewati hari ini."),
    (r"payment (.+) is already recorded", "Pembayaran dengan referensi {0} sudah tercatat."),
    (rf"payment of {_AMOUNT} exceeds the outstanding premium of {_AMOUNT}",
     "Pembayaran sebesar {0} melebihi sisa iuran yang belum dibayar ({1})."),
    (r"the value is unchanged", "Nilai kegiatan sama dengan sebelumnya."),
    (r"an activity without a task letter cannot be completed; cancel it instead",
     "Kegiatan tanpa surat tugas tidak dapat diselesaikan; silakan batalkan kegiatan ini."),
    (r"premium rule (.+): only the last band may be open-ended",
     "Aturan iuran {0}: hanya rentang terakhir yang boleh tanpa batas atas."),
    (r"premium rule (.+): bands must ascend strictly from above zero",
     "Aturan iuran {0}: batas rentang harus naik berurutan, dimulai di atas nol."),
    (r"premium rule (.+): rates cannot be negative", "Aturan iuran {0}: tarif tidak boleh negatif."),
    (rf"no premium rate was in force on {_DATE}", "Tidak ada tarif iuran yang berlaku pada {0}."),
    (r"unknown premium rule (.+)", "Aturan iuran {0} tidak dikenal."),
    # --- claim ----------------------------------------------------------------------------
    (r"the incident cannot be in the future", "Waktu kejadian tidak boleh melewati saat ini."),
    (r"the right to claim ends (\d+) years after the accident",
     "Hak klaim berakhir {0} tahun setelah kecelakaan."),
    (r"cannot (?P<doing>.+): the claim is (?P<status>[a-z ]+)", "Tidak dapat {0}; status klaim: {1}."),
    (r"that is not the claim's activity", "Kegiatan tersebut bukan kegiatan klaim ini."),
    (rf"{_REPR} is not on the checklist of a (?P<kind>[a-z_]+) claim: {_CODES}",
     "{0} tidak termasuk daftar dokumen klaim {1}: {2}."),
    (r"([a-z_0-9]+) has already been received", "Dokumen {0} sudah diterima."),
    (r"cannot approve: coverage has not been confirmed",
     "Tidak dapat menyetujui klaim; perlindungan belum dikonfirmasi."),
    (rf"cannot approve: documents missing: {_CODES}", "Tidak dapat menyetujui klaim; dokumen belum lengkap: {0}."),
    (rf"{_REPR} is not a benefit line of this claim: {_CODES}", "{0} bukan rincian manfaat klaim ini: {1}."),
    (rf"paying {_AMOUNT} would exceed the ([a-z_]+) line; {_AMOUNT} is outstanding on it",
     "Pembayaran sebesar {0} melebihi sisa manfaat {1}; sisa yang belum dibayar {2}."),
    # --- benefits by the rule tables (domain/benefits.py) ------------------------------------
    (rf"no (wage base|[a-z_]+ rule|disability item [a-z_]+) was in force on {_DATE}",
     "Tabel aturan manfaat tidak memuat {0} yang berlaku pada {1}."),
    (r"a scholarship is paid for at most (\d+) children", "Beasiswa paling banyak untuk {0} anak."),
    (rf"unknown school level {_REPR}: one of {_CODES}", "Jenjang sekolah {0} tidak dikenal; pilih salah satu: {1}."),
    (r"(?P<field>[a-z ]+) does not apply to a (?P<kind>[a-z_]+) claim", "Isian {0} tidak berlaku untuk klaim {1}."),
    (r"a work accident gives a scholarship only for total permanent disability",
     "Beasiswa karena kecelakaan kerja hanya untuk cacat total tetap (atau meninggal)."),
    (r"a JKM scholarship needs at least (\d+) years of contributions",
     "Beasiswa JKM hanya bila masa iur paling sedikit {0} tahun."),
    (r"benefits of a (?P<kind>[a-z_]+) claim are not in the rule tables", "Manfaat klaim {0} tidak ada di tabel aturan."),
    (r"the inputs give no benefit: enter the costs, days or disability",
     "Isian ini tidak menghasilkan manfaat: isi biaya, hari tidak mampu bekerja, atau cacat."),
    (r"days and years cannot be negative", "Jumlah hari dan tahun tidak boleh negatif."),
    # --- application and projections: store, concurrency, configuration, export -------------
    (rf"no (?P<aggregate>[A-Z][A-Za-z]*) with id {_UUID}", "Data {0} dengan id {1} tidak ditemukan."),
    (rf"no aggregate with id {_UUID}", "Data dengan id {0} tidak ditemukan."),
    (rf"(?P<aggregate>[A-Z][A-Za-z]*) {_UUID} has no version (\d+) \(latest is (\d+)\)",
     "Data {0} {1} tidak memiliki versi {2} (versi terakhir: {3})."),
    (rf"{_UUID} did not exist at (\S+)", "Data {0} belum ada pada {1}."),
    (r"version starts at 1", "Versi dimulai dari 1."),
    (r"the (?P<aggregate>[A-Z][A-Za-z]*) was changed meanwhile \(version (\d+), you saw (\d+)\)",
     "Data {0} ini telah diubah orang lain sementara itu (versi {1}, Anda melihat versi {2}). "
     "Muat ulang halaman, lalu coba lagi."),
    (r"someone changed this meanwhile; reload and try again",
     "Data ini telah diubah orang lain sementara itu. Muat ulang halaman, lalu coba lagi."),
    (rf"RT {_RT} already exists", "RT {0} sudah terdaftar."),
    (rf"activity {_REPR} starting {_DATE} already exists", "Kegiatan {0} yang dimulai {1} sudah ada."),
    (r"task letter number (.+) already exists", "Nomor surat tugas {0} sudah dipakai."),
    (r"a claim for this participant and incident already exists", "Klaim untuk peserta dan kejadian ini sudah ada."),
    (r"the date cannot be in the future", "Tanggal tidak boleh melewati hari ini."),
    (r"until must not be before since", "Waktu akhir harus sesudah waktu mulai."),
    (rf"the demo's today must be between {_DATE} and {_DATE} \(today in WIB\)",
     "Hari ini bagi data demo harus antara {0} dan {1} (hari ini menurut WIB)."),
    (rf"format must be one of {_CODES}", "Format harus salah satu dari: {0}."),
    (r"DATABASE_URL must look like postgresql://user@host:5432/dbname",
     "DATABASE_URL harus berbentuk postgresql://user@host:5432/dbname."),
    (r"KAMPUNG_ENCRYPTION_KEY must be a base64 AES key of 16, 24 or 32 bytes \(kampung keys generate\)",
     "KAMPUNG_ENCRYPTION_KEY harus kunci AES base64 sepanjang 16, 24 atau 32 bita (kampung keys generate)."),
    (r"KAMPUNG_COMMAND_CACHE must be a whole number of aggregates, 0 to turn the cache off",
     "KAMPUNG_COMMAND_CACHE harus berupa bilangan bulat (jumlah agregat), atau 0 untuk mematikan cache."),
    (r"KAMPUNG_GROUP_COMMIT_MS must be milliseconds from 0 to 100, or off",
     "KAMPUNG_GROUP_COMMIT_MS harus berupa milidetik dari 0 sampai 100, atau off."),
    (r"the stored events cannot be read with this configuration: check KAMPUNG_ENCRYPTION_KEY",
     "Peristiwa yang tersimpan tidak dapat dibaca dengan konfigurasi ini: periksa KAMPUNG_ENCRYPTION_KEY."),
    (r"a webhook secret cannot be read with this configuration: check KAMPUNG_ENCRYPTION_KEY",
     "Rahasia webhook tidak dapat dibaca dengan konfigurasi ini: periksa KAMPUNG_ENCRYPTION_KEY."),
    (r"the file is not a kampung event export \(version 1\)", "Berkas ini bukan ekspor peristiwa kampung (versi 1)."),
    (r"line (\d+) of the file is not a stored event", "Baris {0} berkas ini bukan peristiwa tersimpan."),
    (r"the file's events do not match its header \(cut short or changed\)",
     "Isi berkas tidak cocok dengan kepalanya (terpotong atau diubah)."),
    (r"the file was exported from an encrypted store and this one is not, or the other way round: "
     r"set KAMPUNG_ENCRYPTION_KEY as on the source",
     "Berkas diekspor dari penyimpanan terenkripsi dan penyimpanan ini tidak, atau sebaliknya: "
     "atur KAMPUNG_ENCRYPTION_KEY seperti pada sumbernya."),
    (r"the stored event at position (\d+) cannot be decoded: run kampung audit verify",
     "Peristiwa tersimpan pada posisi {0} tidak dapat dibaca: jalankan kampung audit verify."),
    (r"the event store is not empty: import only into a new, empty store",
     "Penyimpanan peristiwa tidak kosong: impor hanya ke penyimpanan baru yang kosong."),
    (r"the event log no longer matches the audit trail up to position (\d+): run kampung audit verify; "
     r"the audit trail was not rebuilt",
     "Log peristiwa tidak lagi cocok dengan jejak audit sampai posisi {0}: jalankan kampung audit verify; "
     "jejak audit tidak dibangun ulang."),
    (r"the stored event at position (\d+) changed after the audit trail chained it: run kampung audit verify",
     "Peristiwa tersimpan pada posisi {0} berubah setelah dirangkai ke jejak audit: jalankan kampung audit verify."),
    (r"the event at position (\d+) is no longer in the log", "Peristiwa pada posisi {0} tidak ada lagi di log."),
    # --- the relay to NATS JetStream (projections/relay/settings.py) -------------------------------
    (r"KAMPUNG_RELAY_STREAM must be 1-64 letters, digits, '-' or '_'",
     "KAMPUNG_RELAY_STREAM harus 1–64 huruf, angka, '-' atau '_'."),
    (r"KAMPUNG_RELAY_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, '-' or '_' \(no wildcards\)",
     "KAMPUNG_RELAY_SUBJECT_PREFIX harus berupa bagian-bagian huruf, angka, '-' atau '_' yang dipisah titik "
     "(tanpa wildcard)."),
    (r"KAMPUNG_RELAY_DUPLICATE_WINDOW must be positive and at most KAMPUNG_RELAY_MAX_AGE",
     "KAMPUNG_RELAY_DUPLICATE_WINDOW harus lebih dari nol dan paling lama KAMPUNG_RELAY_MAX_AGE."),
    (r"KAMPUNG_RELAY_MAX_BYTES must be at least 1M", "KAMPUNG_RELAY_MAX_BYTES paling sedikit 1M."),
    (r"KAMPUNG_RELAY_REPLICAS must be 1 to 5", "KAMPUNG_RELAY_REPLICAS harus 1 sampai 5."),
    (r"KAMPUNG_RELAY_BATCH must be 1 to 10000", "KAMPUNG_RELAY_BATCH harus 1 sampai 10000."),
    (r"KAMPUNG_RELAY_ACK_TIMEOUT must be 0\.1 to 600 seconds", "KAMPUNG_RELAY_ACK_TIMEOUT harus 0,1 sampai 600 detik."),
    (r"(\S+) must be a duration such as 90s, 15m, 12h or 30d",
     "{0} harus berupa lama waktu seperti 90s, 15m, 12h atau 30d."),
    (r"(\S+) must be a size such as 512M or 1G", "{0} harus berupa ukuran seperti 512M atau 1G."),
    (r"(\S+) must be a whole number", "{0} harus berupa bilangan bulat."),
    (r"the rebuild of read model (\w+) failed: (.+)",
     "Model baca {0} gagal dibangun ulang ({1})."),
    (r"KAMPUNG_PROJECTION_ATTEMPTS must be a whole number from 1 to 100",
     "KAMPUNG_PROJECTION_ATTEMPTS harus bilangan bulat dari 1 sampai 100."),
    (r"KAMPUNG_PROJECTION_BACKOFF must be a number of seconds from 0 to 60",
     "KAMPUNG_PROJECTION_BACKOFF harus berupa jumlah detik dari 0 sampai 60."),
    # --- accounts (domain/user.py, application/accounts.py) ---------------------------------
    (r"user name must be 1–64 letters, digits, dots, @, _ or -",
     "Nama pengguna harus 1–64 huruf, angka, titik, @, _ atau -."),
    (r"a Ketua RT's account needs the code of their RT, like 15\.71\.01\.1001/RT-005",
     "Akun Ketua RT harus menyebut kode RT-nya, misalnya 15.71.01.1001/RT-005."),
    (r"only a Ketua RT's account names an RT", "Hanya akun Ketua RT yang menyebut RT."),
    (rf"unknown RT {_RT}: no RT is registered with this code", "RT {0} tidak dikenal: tidak ada RT terdaftar dengan kode ini."),
    (rf"unknown RT {_REPR}: an RT code looks like 15\.71\.01\.1001/RT-005",
     "RT {0} tidak dikenal: kode RT berbentuk seperti 15.71.01.1001/RT-005."),
    (r"a new user name needs at least (\d+) characters", "Nama pengguna baru paling sedikit {0} karakter."),
    (r"no account named (\S+)", "Tidak ada akun bernama {0}."),
    (r"a password hash is expected, never a password", "Yang disimpan harus hash kata sandi, bukan kata sandinya."),
    (r"password must be 10–256 characters", "Kata sandi harus 10–256 karakter."),
    (r"the current password is wrong", "Kata sandi saat ini salah."),
    (r"The new password and its repetition differ\.", "Kata sandi baru dan ulangannya tidak sama."),
    (r"unknown user name or wrong password", "Nama pengguna atau kata sandi salah."),
    (r"this account is disabled", "Akun ini dinonaktifkan."),
    (r"the account is already disabled", "Akun ini sudah dinonaktifkan."),
    (r"the account is not disabled", "Akun ini tidak sedang dinonaktifkan."),
    (r"an account named (\S+) already exists", "Akun bernama {0} sudah ada."),
    (r"scopes must be one or more of read, write", "Cakupan harus satu atau lebih dari: read, write."),
    (r"an API token is stored as its id and the SHA-256 of its secret",
     "Token API disimpan sebagai id dan SHA-256 rahasianya."),
    (r"an API token with this id was already issued", "Token API dengan id ini sudah pernah diterbitkan."),
    (r"this API token was already revoked", "Token API ini sudah dicabut."),
    (r"this API token was revoked", "Token API ini telah dicabut."),
    (r"unknown API token", "Token API tidak dikenal."),
    (r"this API token does not allow this kind of request", "Token API ini tidak mengizinkan permintaan semacam ini."),
    # --- webhooks (interfaces/schemas/webhooks.py, projections/webhooks/store.py) ---------
    (r"Give an http or https URL\.", "Masukkan URL yang diawali http:// atau https://."),
    (r"The URL needs a host name\.", "URL harus memuat nama host."),
    (r"The URL must not contain a user name or password\.", "URL tidak boleh memuat nama pengguna atau kata sandi."),
    (r"The URL must not contain a fragment \(#\.\.\.\)\.", "URL tidak boleh memuat bagian #...."),
    (r"The URL has an invalid port\.", "Nomor port pada URL tidak sah."),
    (r"unknown event type (.+)", "Jenis peristiwa {0} tidak dikenal."),
    (r"from_position starts at 1", "Posisi awal dimulai dari 1."),
    (r"from_position (\d+) is after the end of the event log \((\d+)\)",
     "Posisi {0} melewati akhir log peristiwa (posisi terakhir: {1})."),
    (rf"no webhook subscription with id {_UUID}", "Langganan webhook dengan id {0} tidak ditemukan."),
    (rf"a webhook subscription with id {_UUID} already exists", "Langganan webhook dengan id {0} sudah ada."),
    (r"the webhook subscription was deleted", "Langganan webhook ini sudah dihapus."),
    (r"Give an https URL: plain http is allowed only for hosts an administrator has allowed\.",
     "Masukkan URL https://: http:// tanpa enkripsi hanya boleh untuk host yang diizinkan administrator."),
    (r"The URL's host is not a public address: private, loopback, link-local and other internal addresses are "
     r"refused unless an administrator has allowed them\.",
     "Host pada URL bukan alamat publik: alamat privat, loopback, link-local dan alamat internal lain ditolak "
     "kecuali diizinkan administrator."),
    (r"The URL's host name cannot be resolved\.", "Nama host pada URL tidak dapat ditemukan (DNS)."),
    (rf"KAMPUNG_WEBHOOK_ALLOW: {_REPR} is neither a host name nor an IP network",
     "KAMPUNG_WEBHOOK_ALLOW: {0} bukan nama host maupun jaringan IP."),
    (r"(KAMPUNG_[A-Z_]+) must be a whole number of days, at least 1",
     "{0} harus bilangan bulat hari, paling sedikit 1."),
    (r"the webhook subscription is (?P<status>[a-z]+), not (?P<expected>[a-z]+)",
     "Status langganan webhook sudah {0}, bukan {1}; muat ulang halaman."),
)

# The English words that named groups capture, in Indonesian; a word not listed is kept as it is.
TERMS: dict[str, str] = {
    # claim statuses (with spaces for underscores, as the claim's messages write them)
    "reported": "dilaporkan",
    "coverage confirmed": "perlindungan dikonfirmasi",
    "coverage denied": "perlindungan ditolak",
    "assessed": "sudah dinilai",
    "approved": "disetujui",
    "rejected": "ditolak",
    "partially paid": "dibayar sebagian",
    "paid": "lunas",
    "waived": "sisa dihapuskan",
    "closed": "ditutup",
    # activity statuses
    "completed": "selesai",
    # webhook subscription statuses
    "active": "aktif",
    "paused": "dijeda",
    "dead": "berhenti",
    "cancelled": "dibatalkan",
    # steps refused on an activity or a claim
    "issue a task letter": "menerbitkan surat tugas",
    "add a participant": "menambahkan peserta",
    "withdraw a participant": "mengundurkan peserta",
    "revise its value": "mengubah nilainya",
    "complete it": "menyelesaikannya",
    "cancel it": "membatalkannya",
    "confirm coverage": "mengonfirmasi perlindungan",
    "deny coverage": "menolak perlindungan",
    "receive documents": "menerima dokumen",
    "assess the claim": "menilai klaim",
    "approve": "menyetujui klaim",
    "reject": "menolak klaim",
    "pay santunan": "membayar santunan",
    "waive the outstanding santunan": "menghapuskan sisa santunan",
    "close": "menutup klaim",
    # claim kinds, RT phases
    "work_accident": "kecelakaan kerja",
    "work_accident_death": "meninggal karena kecelakaan kerja",
    "non_work_death": "meninggal bukan karena kecelakaan kerja",
    # inputs of an assessment
    "medical costs": "biaya perawatan",
    "home care costs": "biaya perawatan di rumah",
    "transport costs": "biaya transportasi",
    "stmb days": "hari tidak mampu bekerja",
    "disability item": "cacat",
    "contribution years": "masa iur",
    "pilot": "percontohan",
    "expansion": "perluasan",
    # fields of free text
    "title": "judul",
    "location": "lokasi",
    "number": "nomor surat tugas",  # the only free-text number is a task letter's
    "name": "nama",
    "participant name": "nama peserta",
    "reason": "alasan",
    "label": "keterangan",
    "reference": "nomor referensi",
    "description": "uraian",
    "beneficiary": "penerima",
    "reporter": "pelapor",
    "chronology": "kronologi",
    "priorities": "prioritas",
    "priority": "prioritas",
    "rows": "daftar peserta",
    "url": "URL",
    # aggregates
    "Activity": "kegiatan",
    "Claim": "klaim",
    "WebhookSubscription": "langganan webhook",
    # comparisons of marshmallow's Range
    "greater than": "lebih dari",
    "greater than or equal to": "minimal",
    "less than": "kurang dari",
    "less than or equal to": "maksimal",
}

_COMPILED = tuple((re.compile(pattern, re.DOTALL), template) for pattern, template in CATALOGUE)


def indonesian(message: str) -> str:
    """The message in Indonesian, or unchanged when no entry matches all of it."""
    for pattern, template in _COMPILED:
        match = pattern.fullmatch(message)
        if match:
            named = set(pattern.groupindex.values())
            values = [
                TERMS.get(value, value) if number in named else value
                for number, value in enumerate(match.groups(), start=1)
            ]
            return template.format(*values)
    return message


def indonesian_errors(messages: object) -> object:
    """The same nesting as marshmallow's ``messages`` (dicts, lists), every text translated."""
    if isinstance(messages, dict):
        return {key: indonesian_errors(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [indonesian_errors(value) for value in messages]
    return indonesian(str(messages))
