"""Two empty Java interfaces the Thrift server's Hive code needs and Spark 4's distribution lacks.

Why: closing a Thrift session runs Hive's SessionState.close(), which on a handler thread with no
metastore client of its own creates one *and registers Hive's built-in functions*; Hive's
FunctionRegistry then fails to initialise with NoClassDefFoundError
org/apache/hadoop/hive/llap/security/LlapSigner$Signable, because Spark 4 no longer ships
hive-llap-common (apache/spark#49736 adds it back for Spark's own tests only). Hive's
registerAllFunctionsOnce() catches Exception, not Error, so it stays "pending" after that failure
and every later close that needs it waits forever: a dbt build over the cluster failed one model
("Error closing session") or hung at a model's ConnectionClosed, more often the busier the machine.

FunctionRegistry only needs the two types to exist (they name the parameters of a UDTF's helper
classes, used by LLAP alone); with them it initialises, which the JVM shows at once
(tests/test_spark_cluster.py). The class files are written here byte by byte (JVM spec §4.1: a
public abstract interface with no members), so no compiler and no download is needed.
"""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

INTERFACES = ("org/apache/hadoop/hive/llap/security/LlapSigner",
              "org/apache/hadoop/hive/llap/security/LlapSigner$Signable")
JAR_NAME = "hive-llap-signer-stub.jar"
_ACC_PUBLIC_INTERFACE_ABSTRACT = 0x0001 | 0x0200 | 0x0400
_CLASS_FILE_VERSION = (0, 52)          # minor, major: Java 8, loadable by every JVM Spark 4 runs on


def _utf8(text: str) -> bytes:
    data = text.encode("utf-8")        # the names are ASCII: modified UTF-8 is plain UTF-8 here
    return struct.pack(">BH", 1, len(data)) + data


def interface_class_file(internal_name: str) -> bytes:
    """The class file of `public interface <internal_name> {}` (a name like a/b/C or a/b/C$D)."""
    pool = [_utf8(internal_name), struct.pack(">BH", 7, 1),       # #1 name, #2 Class #1 (this)
            _utf8("java/lang/Object"), struct.pack(">BH", 7, 3)]  # #3 name, #4 Class #3 (super)
    minor, major = _CLASS_FILE_VERSION
    return (struct.pack(">IHHH", 0xCAFEBABE, minor, major, len(pool) + 1) + b"".join(pool)
            + struct.pack(">HHHHHHH", _ACC_PUBLIC_INTERFACE_ABSTRACT, 2, 4, 0, 0, 0, 0))


def write_stub_jar(folder: Path) -> Path:
    """The jar of INTERFACES in `folder` (rewritten each time: a few hundred bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    jar = folder / JAR_NAME
    with zipfile.ZipFile(jar, "w") as archive:
        for name in INTERFACES:
            archive.writestr(f"{name}.class", interface_class_file(name))
    return jar
