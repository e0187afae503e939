-- ListUsers finds a sub through the users table's unique (user_pool_id, sub) index: the 'sub' search keys are no longer written.
-- The column takes byte order (COLLATE "C", like the search keys it replaces) so that a prefix filter is a range on that index.
DELETE FROM user_search WHERE attribute = 'sub';
ALTER TABLE users ALTER COLUMN sub TYPE TEXT COLLATE "C";
