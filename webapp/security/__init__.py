"""Hardening shared by every response: the security header set (:mod:`.headers`), trusted
hosts (:mod:`.hosts`), Subresource Integrity for scripts (:mod:`.integrity`) and
waitress's own error responses (:mod:`.waitress_errors`)."""
