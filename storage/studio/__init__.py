"""The Studio over SQL: sessions, generations, likes, uploads; repositories, reads, row mapping."""
