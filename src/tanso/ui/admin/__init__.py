"""The admin page: accounts (role, disable/enable), the comment reports queue, pipeline runs."""
