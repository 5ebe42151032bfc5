def restrict_admin_to_owners(site) -> None:
    return None
