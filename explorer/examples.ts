/** Example operations for the main partner flows, opened as tabs on a first visit. */
export interface ExampleTab {
  query: string;
  variables?: string;
}

// Scopes a key can have: libraries:read, students:list, attendance:read, attendance:write.
const LIBRARIES = `# Libraries with live occupancy.
# Scopes: libraries:read, attendance:read
# Set your API key above; Run: Ctrl+Enter
query Libraries {
  libraries {
    id
    name
    capacity
    occupancy { occupied free percent }
  }
}
`;

const STUDENTS = `# Students, 20 a page (students:list).
# Next page: $after = pageInfo.endCursor
query Students($after: String) {
  students(first: 20, after: $after) {
    totalCount
    edges { cursor node { id name status } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const CHECK_IN = `# Check a student in (attendance:write).
# Set a student id in the variables.
mutation CheckIn($id: ID!) {
  checkIn(studentId: $id) { id checkInAt }
}
`;

export const EXAMPLE_TABS: ExampleTab[] = [
  { query: LIBRARIES },
  { query: STUDENTS, variables: '{ "after": null }' },
  { query: CHECK_IN, variables: '{ "id": "STUDENT_ID" }' },
];
