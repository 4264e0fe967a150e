"""Indonesian labels of the domain's status codes, one wording everywhere."""

CLAIM_STATUS_LABELS = {
    "reported": "Dilaporkan",
    "coverage_confirmed": "Kepesertaan dikonfirmasi",
    "coverage_denied": "Kepesertaan ditolak",
    "assessed": "Dinilai",
    "approved": "Disetujui",
    "rejected": "Ditolak",
    "partially_paid": "Dibayar sebagian",
    "paid": "Dibayar lunas",
    "waived": "Sisa dihapuskan",
    "closed": "Ditutup",
}

ACTIVITY_STATUS_LABELS = {
    "planned": "Direncanakan",
    "active": "Berjalan",
    "completed": "Selesai",
    "cancelled": "Dibatalkan",
}
