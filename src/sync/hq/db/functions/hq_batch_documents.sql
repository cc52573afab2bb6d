-- The documents of a batch (hq_receive_batch's p_docs) as one jsonb array, a refused item's as null: for the few
-- batches that must put a document in a dead letter.
CREATE OR REPLACE FUNCTION hq_batch_documents(p_docs text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_agg(nullif(d.doc, '')::jsonb ORDER BY d.n) FROM string_to_table(p_docs, E'\x1e') WITH ORDINALITY AS d(doc, n)
$$;
