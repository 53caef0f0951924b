-- Newly seen user agents (registered Arrow table `new_user_agents`); a key seen before is left alone.
INSERT OR IGNORE INTO user_agents
SELECT ua_key, device, browser, browser_major, os, os_major, is_bot, bot_name, bot_reason
FROM new_user_agents
