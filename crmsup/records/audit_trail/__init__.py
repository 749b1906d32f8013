"""The audit trail as auditors, HR and IT read it: filtered listings (`query`), verification
of the whole chain and signed checkpoints (`service`).

Writing entries is the kernel's (`crmsup.records.audit`, in the transaction of each change);
what this workstation has seen of the chain is `crmsup.records.checkpoints`.

Face: `query` and `service`.
"""

#: The modules other packages may import (`tests/unit/records/test_layout.py` holds them to it).
FACE = ("query", "service")
