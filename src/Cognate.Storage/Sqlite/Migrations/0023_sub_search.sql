-- ListUsers finds a sub through the users table's unique (user_pool_id, sub) index: the 'sub' search keys are no longer written.
DELETE FROM user_search WHERE attribute = 'sub';
