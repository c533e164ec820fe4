ALTER TABLE sample_stock ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
INSERT INTO sample_stock (sku, available) VALUES ('a', 5);
