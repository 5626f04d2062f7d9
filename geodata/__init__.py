"""The world as reference data: councils and codes, the schools register, SEN2 statistics, spending, small areas,
roads and travel caches. Each module reads one kind of published file; nothing above this layer parses one."""
