"""The use cases both doors call (the JSON service and the pages): children, shortlisting,
scenario jobs and the library, consultations, decisions, offers, vacancies."""
