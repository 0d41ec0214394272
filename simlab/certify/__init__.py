"""Certification: convergence studies with error bounds, and physics audits of a solution."""
