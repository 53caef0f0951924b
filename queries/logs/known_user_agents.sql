-- Every user agent already classified. Grain: one row per ua_key. Columns: ua_key, is_bot, bot_reason
SELECT ua_key, is_bot, bot_reason FROM user_agents
