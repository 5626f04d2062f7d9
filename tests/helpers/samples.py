"""Sample inputs shared by tests of several packages: the demo's child and scenario files, a tiny OSM road file,
rows of an ONS Postcode Directory, and a real child of Newcastle."""

import json
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios" / "library"
DEMO = LIBRARY / "demo.yaml"

DEMO_CHILD = {"child_id": "T-1", "home_council": "E06900001", "easting": 420_000, "northing": 570_000, "age": 9,
              "primary_need": "ASD", "sex": "F", "preferences": [900_009, 900_004]}


def write_child(tmp_path, record) -> str:
    path = tmp_path / "child.json"
    path.write_text(json.dumps(record))
    return str(path)


# Four nodes on a line 1 km apart (about 0.0147 degrees of longitude at 52.6 N), a two-way 30 mph road
# A-B-C, a one-way road C->D, and a footway D-A that cars may not use. So D can be reached but not left:
# the largest strongly connected part is A, B, C.
OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="1" lat="52.6" lon="-0.700" version="1"/>
  <node id="2" lat="52.6" lon="-0.6852" version="1"/>
  <node id="3" lat="52.6" lon="-0.6704" version="1"/>
  <node id="4" lat="52.6" lon="-0.6556" version="1"/>
  <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="maxspeed" v="30 mph"/></way>
  <way id="11" version="1"><nd ref="3"/><nd ref="4"/><tag k="highway" v="tertiary"/><tag k="oneway" v="yes"/></way>
  <way id="12" version="1"><nd ref="4"/><nd ref="1"/><tag k="highway" v="footway"/></way>
</osm>
"""



#: The ONSPD's first columns as published (a subset of its 50-odd; the reader takes the ones it needs).
HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,parish,usertype,oseast1m,osnrth1m,osgrdind,ctry," \
         "rgn,lsoa11,msoa11,lsoa21,msoa21"
ROWS = [
    "NE1 4LP,NE1  4LP,NE1 4LP,198001,,E99999999,E99999999,E08000021,E05001111,E43000001,0,424880,564530,1,"
    "E92000001,E12000001,E01008395,E02001725,E01008395,E02001725",
    "NE1 9ZZ,NE1  9ZZ,NE1 9ZZ,198001,200312,E99999999,E99999999,E08000021,E05001111,E43000001,0,424880,564530,1,"
    "E92000001,E12000001,E01008395,E02001725,E01008395,E02001725",
    "CF10 1AA,CF101AA,CF10 1AA,198001,,W99999999,W99999999,W06000015,W05001111,W04000001,0,318000,176000,1,"
    "W92000004,W99999999,W01001700,W02000380,W01001700,W02000380",
]

#: A real child of Newcastle, given by LSOA or postcode in the real-data tests.
REAL_CHILD = {"child_id": "C-17", "home_council": "E08000021", "age": 10, "ncy": 5, "primary_need": "ASD",
         "secondary_needs": ["SLCN"], "need_level": 2, "sex": "M", "preferences": [108539], "max_travel_minutes": 40}
