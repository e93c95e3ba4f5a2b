package dev.seed.meetings.meeting.faults;

import java.sql.Connection;
import java.sql.ResultSet;

import dev.seed.meetings.testsupport.TestStack;

/** Counting queries on this run's database, straight over JDBC. */
final class Counts {

	private Counts() {
	}

	static long of(String sql) throws Exception {
		try (Connection jdbc = TestStack.get().openJdbc(); ResultSet rows = jdbc.createStatement().executeQuery(sql)) {
			rows.next();
			return rows.getLong(1);
		}
	}

}
