-- Uzbek Cyrillic typed on a Russian keyboard has к for қ (`козон` for `қозон`), and Latin
-- writers mix q and k: the fold (vodiy_bozor/text/fold.py) now folds q to k, so `козон`,
-- `kozon` and `Қозон` are one word. What is stored in a folded form is recomputed by Python
-- right after this file (db/migrate.py, _AFTER_SQL): every ad's search text (and the lexicon's
-- new words), every saved search's words, key and query, every text sketch. Nothing changes in
-- the schema.

-- No folded word holds a q any more, so the lexicon's words with one match no ad; left until
-- the prune job's week is out, they would take typo alternatives' places (`qozon` for
-- `kozonlar`) and a saved search could be settled on one.
DELETE FROM search_words WHERE word LIKE '%q%';
