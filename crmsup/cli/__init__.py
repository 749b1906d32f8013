"""`crmsup-admin`: the scriptable face for IT and HR automation."""
