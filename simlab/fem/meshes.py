"""Meshes of the finite-element domains (SI coordinates) and their elements.

Intervals: ``MeshLine`` with Lagrange P1/P2 (``ElementLineP1/P2``); 3-D boxes: ``MeshHex``
tensor meshes with trilinear/triquadratic ``ElementHex1/Hex2``; plane domains: triangles,
P1 or isoparametric P2.
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
from itertools import pairwise

import numpy as np
import skfem
from scipy.spatial import Delaunay

from simlab.fem.domain import Domain


@dataclass(frozen=True)
class FeMesh:
    """A mesh, its element, the boundary facets of every segment, the characteristic step."""

    mesh: skfem.Mesh
    linear: skfem.Mesh
    facets: dict[str, np.ndarray]
    h: float
    element: skfem.Element


ELEMENTS = {
    1: (skfem.ElementLineP1, skfem.ElementLineP2),
    2: (skfem.ElementTriP1, skfem.ElementTriP2),
    3: (skfem.ElementHex1, skfem.ElementHex2),
}
"""Lagrange elements of order 1 and 2 by dimension (hexahedra: tensor-product Q1/Q2)."""


def build_mesh(domain: Domain, n: int, order: int) -> FeMesh:
    """The mesh of ``domain`` at resolution ``n`` for order-1 or order-2 elements."""
    n = max(2, int(n))
    dim = len(domain.names)
    element = ELEMENTS[dim][order - 1]()
    if domain.kind == "box" and dim != 2:
        linear, h = _tensor(domain, n)
        return FeMesh(linear, linear, _box_facets(domain, linear, h), h, element)
    if domain.kind == "box":
        linear, h = _box(domain, n)
    elif domain.kind == "l_shape":
        linear, h = _l_shape(domain, n)
    else:
        linear, h = _rings(domain, n)
    if domain.kind == "box":
        facets = _box_facets(domain, linear, h)
    else:
        facets = _segment_facets(domain, linear)
    if order == 1:
        return FeMesh(linear, linear, facets, h, element)
    quadratic = skfem.MeshTri2.from_mesh(linear)
    if domain.kind in ("disk", "annulus"):
        quadratic = _curve_boundary(domain, quadratic)
    return FeMesh(quadratic, linear, facets, h, element)


WEIGHT_DENOMINATOR = 8
"""A box axis cut at the observation points: each piece gets ``ceil(n w)`` cells, ``w`` its
length over the shortest side rounded to eighths, so the meshes of resolutions that are
multiples of 8 are exact refinements of one another (as the study's ``h = L / n`` says)."""


def axis_nodes(lo: float, hi: float, n: int, shortest: float, cuts: tuple[float, ...]):
    """Nodes of one box axis at resolution ``n``, with every cut (a probe coordinate) a node.

    A point value between nodes carries the interpolation error, whose constant depends on
    where the point falls inside its cell, which changes from grid to grid and spoils the
    study's order; at a node it does not (and P2 nodal values superconverge).
    """
    tiny = 1e-9 * (hi - lo)
    knots = [lo]
    for c in sorted(cuts):
        if knots[-1] + tiny < c < hi - tiny:
            knots.append(float(c))
    knots.append(hi)
    nodes = [np.array([lo])]
    for a, b in pairwise(knots):
        weight = max(1, round(WEIGHT_DENOMINATOR * (b - a) / shortest)) / WEIGHT_DENOMINATOR
        count = max(1, math.ceil(n * weight - 1e-9))
        nodes.append(np.linspace(a, b, count + 1)[1:])
    return np.concatenate(nodes)


def _axes(domain: Domain, n: int) -> tuple[list[np.ndarray], float]:
    shortest = min(b - a for a, b in domain.ranges)
    cuts = domain.cuts or ((),) * len(domain.ranges)
    axes = [axis_nodes(a, b, n, shortest, c) for (a, b), c in zip(domain.ranges, cuts, strict=True)]
    return axes, shortest / n


def _tensor(domain: Domain, n: int) -> tuple[skfem.Mesh, float]:
    """An interval (``MeshLine``) or a 3-D box (``MeshHex``), ``h`` = shortest side / n."""
    axes, h = _axes(domain, n)
    if len(axes) == 1:
        return skfem.MeshLine(axes[0]), h
    return skfem.MeshHex.init_tensor(*axes), h


def _box_facets(domain: Domain, mesh: skfem.Mesh, h: float) -> dict[str, np.ndarray]:
    """Boundary facets of each side of a box: those whose midpoint lies on that side."""
    boundary = mesh.boundary_facets()
    mid = mesh.p[:, mesh.facets[:, boundary]].mean(axis=1)
    owner = np.full(boundary.size, "", dtype=object)
    for axis, end, name in domain.faces:
        at = domain.ranges[axis][0 if end == "lower" else 1]
        owner[np.abs(mid[axis] - at) <= 1e-6 * h] = name
    if np.any(owner == ""):
        raise ValueError(f"{int(np.sum(owner == ''))} boundary facets lie on no side")
    return {name: boundary[owner == name] for name in domain.segments}


def _box(domain: Domain, n: int) -> tuple[skfem.MeshTri, float]:
    axes, h = _axes(domain, n)
    return skfem.MeshTri.init_tensor(*axes), h


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
