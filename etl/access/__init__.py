"""Who may sign in and what they may open: local accounts with their passwords and lock-outs (accounts), the
sessions behind the dashboard's cookie (sessions) and the company's single sign-on (sso). May import: core."""
