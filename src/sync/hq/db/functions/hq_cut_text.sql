-- The longest start of a text that fits in p_max_bytes bytes of UTF-8, never splitting a character.
CREATE OR REPLACE FUNCTION hq_cut_text(p_text text, p_max_bytes integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  v_chars integer := least(length(p_text), p_max_bytes);
  v_over integer;
BEGIN
  LOOP
    v_over := octet_length(left(p_text, v_chars)) - p_max_bytes;
    EXIT WHEN v_over <= 0;
    -- a character is 1 to 4 bytes: dropping a quarter of the excess in characters never drops too much
    v_chars := v_chars - greatest(1, v_over / 4);
  END LOOP;
  RETURN left(p_text, v_chars);
END
$$;
