# Adds explicit ACEs (SDDL) to an object's security descriptor on a local Samba AD database, inside one
# ldb transaction, so no concurrent writer can slip between the read and the write (samba-tool dsacl set
# does the same read-modify-write without a transaction). Run with the Debian python that has the
# samba bindings: /usr/bin/python3 add-aces.py <smb.conf> tdb://<dir>/private/sam.ldb <dn> "(A;;..)(OA;;..)"
import re, sys, ldb
from samba.samdb import SamDB
from samba.param import LoadParm
from samba.auth import system_session
from samba.ndr import ndr_pack, ndr_unpack
from samba.dcerpc import security

conf, url, dn, new_aces = sys.argv[1:5]
lp = LoadParm()
lp.load(conf)
db = SamDB(url=url, session_info=system_session(), lp=lp)
domain_sid = security.dom_sid(db.get_domain_sid())
db.transaction_start()
try:
    res = db.search(base=dn, scope=ldb.SCOPE_BASE, attrs=["nTSecurityDescriptor"])
    desc = ndr_unpack(security.descriptor, res[0]["nTSecurityDescriptor"][0])
    sddl = desc.as_sddl(domain_sid)
    for ace in re.findall(r"\(.*?\)", sddl):
        if "ID" in ace.split(";")[1]:
            sddl = sddl.replace(ace, "")
    for ace in re.findall(r"\(.*?\)", new_aces):
        if ace in sddl:
            continue
        at = sddl.find("(")
        sddl = sddl[:at] + ace + sddl[at:] if at >= 0 else sddl + ace
    m = ldb.Message()
    m.dn = ldb.Dn(db, dn)
    m["nTSecurityDescriptor"] = ldb.MessageElement(
        ndr_pack(security.descriptor.from_sddl(sddl, domain_sid)), ldb.FLAG_MOD_REPLACE, "nTSecurityDescriptor")
    db.modify(m)
    db.transaction_commit()
except BaseException:
    db.transaction_cancel()
    raise
