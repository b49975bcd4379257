/** Example operations for the main partner flows, opened as tabs on a first visit. */
export interface ExampleTab {
  query: string;
  variables?: string;
}

const LIBRARIES = `# Libraries with their live occupancy.
# Paste your API key in the header above, then press Run (Ctrl+Enter).
query Libraries {
  libraries {
    id
    name
    capacity
    occupancy { occupied free percent }
  }
}
`;

const STUDENTS = `# Students, 20 per page. For the next page, pass pageInfo.endCursor as $after.
query Students($after: String) {
  students(first: 20, after: $after) {
    totalCount
    edges { cursor node { id name status } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const CHECK_IN = `# Check a student in: put a student id (from the Students tab) in the variables.
mutation CheckIn($id: ID!) {
  checkIn(studentId: $id) { id checkInAt }
}
`;

export const EXAMPLE_TABS: ExampleTab[] = [
  { query: LIBRARIES },
  { query: STUDENTS, variables: '{ "after": null }' },
  { query: CHECK_IN, variables: '{ "id": "STUDENT_ID" }' },
];
