"""The web pages for people: officers, Ketua RT, auditors and administrators (Bahasa Indonesia).

Each module is a blueprint of one area; ``interfaces/app.py`` registers them.
"""
