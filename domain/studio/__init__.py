"""The Studio: sessions, generations, uploads and imports, likes, review, retention."""
