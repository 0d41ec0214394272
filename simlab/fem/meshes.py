"""Triangular meshes of the dialect's plane domains (SI coordinates), P1 or isoparametric P2.

Every mesh is generated for a resolution ``n`` with a characteristic step ``h = L / n``
(``L``: shortest box side, disk radius, annulus width), so ``h`` halves exactly when ``n``
doubles, as the convergence study assumes. Boxes and L-shapes are tensor meshes
(``MeshTri.init_tensor``); a disk is rings of ``6 k`` nodes triangulated by
``scipy.spatial.Delaunay``, an annulus a polar tensor grid (nested when ``n`` doubles). For P2
the mid-edge nodes of boundary edges are moved onto the circles (``MeshTri2``), so curved
boundaries are represented to the element's own order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import skfem
from scipy.spatial import Delaunay

from simlab.fem.domain import Domain


@dataclass(frozen=True)
class FeMesh:
    """A mesh, the boundary facets of every named segment, and the characteristic step."""

    mesh: skfem.Mesh
    linear: skfem.MeshTri
    facets: dict[str, np.ndarray]
    h: float


def build_mesh(domain: Domain, n: int, order: int) -> FeMesh:
    """The mesh of ``domain`` at resolution ``n`` for P1 (``order=1``) or P2 elements."""
    n = max(2, int(n))
    if domain.kind == "box":
        linear, h = _box(domain, n)
    elif domain.kind == "l_shape":
        linear, h = _l_shape(domain, n)
    else:
        linear, h = _rings(domain, n)
    facets = _segment_facets(domain, linear)
    if order == 1:
        return FeMesh(linear, linear, facets, h)
    quadratic = skfem.MeshTri2.from_mesh(linear)
    if domain.kind in ("disk", "annulus"):
        quadratic = _curve_boundary(domain, quadratic)
    return FeMesh(quadratic, linear, facets, h)


def _box(domain: Domain, n: int) -> tuple[skfem.MeshTri, float]:
    (x0, x1), (y0, y1) = domain.ranges
    h = min(x1 - x0, y1 - y0) / n
    nx, ny = (max(1, round((b - a) / h)) for a, b in domain.ranges)
    mesh = skfem.MeshTri.init_tensor(np.linspace(x0, x1, nx + 1), np.linspace(y0, y1, ny + 1))
    return mesh, h


def _l_shape(domain: Domain, n: int) -> tuple[skfem.MeshTri, float]:
    (x0, x1), (y0, y1) = domain.ranges
    n = n + n % 2  # the re-entrant corner at the box centre is a node
    h = min(x1 - x0, y1 - y0) / n
    nx, ny = (2 * max(1, round((b - a) / (2 * h))) for a, b in domain.ranges)
    mesh = skfem.MeshTri.init_tensor(np.linspace(x0, x1, nx + 1), np.linspace(y0, y1, ny + 1))
    centroids = mesh.p[:, mesh.t].mean(axis=1)
    inside = domain.contains(centroids[0], centroids[1])
    return mesh.remove_elements(np.nonzero(~inside)[0]), h


def _rings(domain: Domain, n: int) -> tuple[skfem.MeshTri, float]:
    """Disk: rings of ``6 k`` nodes (Delaunay). Annulus: a polar tensor grid, split in two."""
    cx, cy = domain.center
    outer, inner = domain.outer_radius, domain.inner_radius
    if inner == 0:
        h = outer / n
        points = [np.array([[cx, cy]])]
        for k in range(1, n + 1):
            a = 2 * math.pi * (np.arange(6 * k) + 0.5 * (k % 2)) / (6 * k)
            points.append(
                np.column_stack([cx + outer * k / n * np.cos(a), cy + outer * k / n * np.sin(a)])
            )
        p = np.vstack(points)
        t = Delaunay(p).simplices
        return skfem.MeshTri(np.ascontiguousarray(p.T), np.ascontiguousarray(t.T)), h
    width = outer - inner
    h = width / n
    per_cell = max(3, round(2 * math.pi * 0.5 * (inner + outer) / width))
    count = per_cell * n  # angular cells: doubles exactly with n (nested polar grids)
    r = np.linspace(inner, outer, n + 1)
    a = 2 * math.pi * np.arange(count) / count
    rr, aa = np.meshgrid(r, a, indexing="ij")
    p = np.vstack([(cx + rr * np.cos(aa)).ravel(), (cy + rr * np.sin(aa)).ravel()])
    i, j = np.meshgrid(np.arange(n), np.arange(count), indexing="ij")
    i, j = i.ravel(), j.ravel()
    jn = (j + 1) % count
    v00, v01 = i * count + j, i * count + jn
    v10, v11 = (i + 1) * count + j, (i + 1) * count + jn
    t = np.hstack([np.vstack([v00, v10, v11]), np.vstack([v00, v11, v01])])
    return skfem.MeshTri(np.ascontiguousarray(p), np.ascontiguousarray(t)), h


def _segment_facets(domain: Domain, mesh: skfem.MeshTri) -> dict[str, np.ndarray]:
    """Boundary facets of each segment: a facet belongs to the part its midpoint lies on."""
    boundary = mesh.boundary_facets()
    mid = mesh.p[:, mesh.facets[:, boundary]].mean(axis=1)
    owner = domain.segment_at(mid[0], mid[1], tolerance=_tolerance(domain, mesh))
    facets = {name: boundary[owner == name] for name in domain.segments}
    unassigned = boundary[owner == ""]
    if unassigned.size:
        raise ValueError(f"{unassigned.size} boundary facets lie on no segment")
    return facets


def _tolerance(domain: Domain, mesh: skfem.MeshTri) -> float:
    """How far a chord midpoint may sit inside a circle: the sagitta of the longest edge."""
    edges = mesh.p[:, mesh.facets[0]] - mesh.p[:, mesh.facets[1]]
    longest = float(np.max(np.hypot(*edges)))
    return longest**2 / max(domain.inner_radius or domain.outer_radius or 1.0, 1e-300) + 1e-9 * (
        domain.size
    )


def _curve_boundary(domain: Domain, mesh: skfem.MeshTri2) -> skfem.MeshTri2:
    """Move the boundary degrees of freedom of a ring mesh onto their circles."""
    dofs = mesh.dofs.get_facet_dofs(mesh.boundary_facets()).flatten()
    doflocs = mesh.doflocs.copy()
    cx, cy = domain.center
    dx, dy = doflocs[0, dofs] - cx, doflocs[1, dofs] - cy
    r = np.hypot(dx, dy)
    target = np.full(r.shape, domain.outer_radius)
    if domain.inner_radius > 0:
        near_inner = np.abs(r - domain.inner_radius) < np.abs(r - domain.outer_radius)
        target[near_inner] = domain.inner_radius
    doflocs[0, dofs] = cx + dx * target / r
    doflocs[1, dofs] = cy + dy * target / r
    return replace(mesh, doflocs=doflocs)
