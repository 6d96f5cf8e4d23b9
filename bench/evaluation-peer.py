"""The issue's vectorised peer of `clusterscope evaluate` (issue 13): the default 亩均效益 rule set
(version 3, src/domain/evaluation/presets.ts) in pandas, reading the same rows from CSV files and
writing what `clusterscope evaluate --out x.csv` writes — each firm's code, name, county, group, every
indicator's value and score, adjustment, total, rank, group size, class and reason for no class — to a
CSV file (with the firm's id first, for the bench's comparison). The same steps as bench/evaluation.ts's SQL
peer, written apart from src/domain/evaluation so a change of either shows as class differences.

    python3 bench/evaluation-peer.py DIR YEAR OUT.csv [classes]

With `classes`, only each firm's id, class and reason for no class are written: the peer as the issue
measured it, most likely (its 305 MiB peak is this mode's; the whole export's is ≈ 495 MiB).

DIR holds enterprises.csv (id, uscc, name, region_code, scale, industry_code), annual_inputs.csv (the year's rows,
with a header) and evaluation_flags.csv (enterprise_id, flag), as bench/evaluation.ts exports them.
Needs Debian's python3-pandas (/usr/bin/python3).
"""
import json
import sys
import time

import numpy as np
import pandas as pd

WEIGHT_ABOVE = {"v1": 30, "v2": 20, "v3": 20, "v4": 10, "v5": 10, "v6": 10}
WEIGHT_BELOW = {"v1": 50, "v7": 50}
VETO = {"safetyIncident", "environmentIncident", "missedEnergyTarget"}
PROTECT = {"newFirm", "upgradedToAbove", "majorProject"}


def ratio(num: pd.Series, den: pd.Series, missing_den) -> pd.Series:
    """num / den; a blank or 0 numerator is 0 whatever the denominator; a denominator not above 0 gives
    `missing_den` (0, or NaN where the group's mean score stands in)."""
    out = pd.Series(np.where(den > 0, num / den.where(den > 0), missing_den), index=num.index)
    return out.where(num.fillna(0) != 0, 0.0)


def main(folder: str, year: int, out_path: str, classes_only: bool) -> None:
    started = time.perf_counter()
    # the classes alone need no name or code: not read (the peer, as lean as it can be)
    firms = pd.read_csv(
        f"{folder}/enterprises.csv",
        dtype={"industry_code": str, "region_code": str},
        usecols=["id", "region_code", "scale", "industry_code"] if classes_only else None,
    )
    inputs = pd.read_csv(f"{folder}/annual_inputs.csv")
    flags = pd.read_csv(f"{folder}/evaluation_flags.csv")
    d = inputs[inputs["year"] == year].merge(firms, left_on="enterprise_id", right_on="id")
    below = d["scale"] == "below"
    pollutants = d[["cod", "ammonia_nitrogen", "so2", "nox"]]
    emis = pollutants.fillna(0).sum(axis=1).where(pollutants.notna().any(axis=1))
    land = d["land_mu"]
    excl = pd.Series(None, index=d.index, dtype=object)
    excl = excl.mask(below & (land < 3), "small_land")
    excl = excl.mask(land.isna() | (land <= 0), "land_missing")
    excl = excl.mask(d["industry_code"].str[:2].isin(["44", "45", "46"]), "utility")
    d["excl"] = excl

    read = time.perf_counter()
    e = d[excl.isna()].copy()
    a = e["scale"] == "above"
    b = e["scale"] == "below"
    va = e["value_added"]
    va_zero = va.fillna(0) == 0
    e["v1"] = ratio(e["tax_paid"], e["land_mu"], 0.0)
    e["v2"] = ratio(va, e["land_mu"], 0.0).where(a)
    e["v3"] = ratio(va, e["energy_tce"], np.nan).where(a)
    e["m3"] = a & ~va_zero & ~(e["energy_tce"] > 0)
    e["v4"] = ratio(va, emis[e.index], np.nan).where(a)
    e["m4"] = a & ~va_zero & ~(emis[e.index] > 0)
    e["v5"] = ratio(va, e["avg_employees"], 0.0).where(a)
    e["v6"] = ratio(e["rd_expense"], e["main_revenue"], 0.0).where(a)
    e["v7"] = ratio(e["tax_paid"], e["electricity"], 0.0).where(b)

    group = e.groupby(["region_code", "scale"], sort=False)
    total = pd.Series(0.0, index=e.index)
    scores = {}
    for v in ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]:
        bench = group[v].transform("mean")
        weight = a.map({True: WEIGHT_ABOVE.get(v, 0), False: WEIGHT_BELOW.get(v, 0)})
        score = (weight * e[v] / bench.where(bench > 0)).clip(lower=0).fillna(0).where(e[v].notna())
        if v in ("v3", "v4"):
            # a missing denominator: the group's mean score of those that have one
            mean = score.groupby([e["region_code"], e["scale"]], sort=False).transform("mean").fillna(0)
            score = score.fillna(mean.where(e["m" + v[1]], 0.0))
        scores["s" + v[1]] = score.where(e[v].notna() | e.get("m" + v[1], False))
        total += score.fillna(0)
    e["total"] = total
    key = total.round(9)
    e["higher"] = key.groupby([e["region_code"], e["scale"]], sort=False).rank(method="min", ascending=False) - 1
    e["size"] = group["v1"].transform("size")
    share = e["higher"] / e["size"]
    cls = np.where(
        key <= 0,
        3,
        np.where(
            a,
            np.select([share < 0.2, share < 0.8, share < 0.95], [0, 1, 2], 3),
            np.select([share < 0.05, share < 0.75, share < 0.95], [0, 1, 2], 3),
        ),
    )
    fl = flags[flags["year"] == year]
    veto = e["enterprise_id"].isin(fl.loc[fl["flag"].isin(VETO), "enterprise_id"]).to_numpy()
    protect = e["enterprise_id"].isin(fl.loc[fl["flag"].isin(PROTECT), "enterprise_id"]).to_numpy()
    cls = np.where(veto, np.maximum(cls, 2), np.where(protect, np.minimum(cls, 2), cls))
    e["class"] = np.array(["A", "B", "C", "D"])[cls]
    e["rank"] = e["higher"].astype(int) + 1
    computed = time.perf_counter()
    if classes_only:
        out = d[["enterprise_id", "excl"]].merge(e[["enterprise_id", "class"]], on="enterprise_id", how="left")
        out[["enterprise_id", "class", "excl"]].to_csv(out_path, index=False)
    else:
        write_export(d, e, scores, out_path)
    # the phases, from the script's start (after Python's and pandas' own start), for the bench to print
    done = time.perf_counter()
    print(json.dumps({"read": read - started, "compute": computed - read, "write": done - computed}))


def write_export(d: pd.DataFrame, e: pd.DataFrame, scores: dict, out_path: str) -> None:
    """What `clusterscope evaluate --out x.csv` writes, column for column (the firm's id first)."""
    e["adjustment"] = 0.0
    columns = []
    for k in range(1, 8):
        e["s%d" % k] = scores["s%d" % k]
        columns += ["v%d" % k, "s%d" % k]
    out = d[["enterprise_id", "uscc", "name", "region_code", "scale", "excl"]].merge(
        e[["enterprise_id", *columns, "adjustment", "total", "rank", "size", "class"]],
        on="enterprise_id",
        how="left",
    )
    out["scale"] = out["scale"].map({"above": "规上", "below": "规下"})
    out = out[["enterprise_id", "uscc", "name", "region_code", "scale", *columns, "adjustment", "total", "rank",
               "size", "class", "excl"]]
    out.to_csv(out_path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:5] == ["classes"])
