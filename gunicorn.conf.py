"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py bastau.wsgi`.

The access log names the path but never the query string or the referrer: the queue's search
(`?q=<IIN or surname>`) is personal data (Law No. 94-V), and keeping the search a GET keeps
its filters, pagination and bookmarks working.
"""

bind = "127.0.0.1:8000"
workers = 4
# %(U)s is the path without the query string; no %(f)s (referrer) and no %(a)s (user agent).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
accesslog = "-"
